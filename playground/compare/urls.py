"""The compare pages: the draft at ``/compare/``, sessions at ``/compare/<id>/``, lanes, stats."""

from django.urls import path

from playground.compare import views, views_lanes

urlpatterns = [
    path("compare/", views.compare_new, name="compare"),
    path("compare/stats/", views.compare_stats, name="compare_stats"),
    path("compare/<int:compare_id>/", views.compare_session, name="compare_session"),
    path("compare/<int:compare_id>/save/", views.compare_save, name="compare_save"),
    path("compare/<int:compare_id>/metrics/", views.compare_metrics, name="compare_metrics"),
    path("compare/<int:compare_id>/diff/", views.compare_diff, name="compare_diff"),
    path("compare/<int:compare_id>/vote/", views.compare_vote, name="compare_vote"),
    path("compare/<int:compare_id>/lanes/add/", views_lanes.lane_add, name="compare_lane_add"),
    path("compare/lanes/<int:lane_id>/", views_lanes.lane_change, name="compare_lane_change"),
    path(
        "compare/lanes/<int:lane_id>/continue/",
        views_lanes.lane_continue,
        name="compare_lane_continue",
    ),
]
