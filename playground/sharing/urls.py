"""Sharing URLs: the public ``/s/<token>/`` pages and the owner's Share forms, list and Revoke."""

from django.urls import path

from playground.sharing import owner_views, public_compare, public_views

urlpatterns = [
    path("s/<str:token>/", public_views.share_page, name="share_page"),
    path("s/<str:token>/m/<int:message_id>/", public_views.share_message, name="share_message"),
    path("s/<str:token>/fork/", public_views.share_fork, name="share_fork"),
    path(
        "s/<str:token>/lanes/<int:lane_id>/fork/",
        public_compare.share_lane_fork,
        name="share_lane_fork",
    ),
    path("c/<int:conversation_id>/share/", owner_views.share_create, name="share_create"),
    path(
        "compare/<int:compare_id>/share/",
        owner_views.compare_share_create,
        name="compare_share_create",
    ),
    path("shares/", owner_views.shares_list, name="shares"),
    path("shares/<int:share_id>/revoke/", owner_views.share_revoke, name="share_revoke"),
]
