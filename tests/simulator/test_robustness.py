"""Whatever a client sends, the Simulator answers or refuses with a 400; it never crashes."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from playground.simulator.answer import compose_answer
from playground.simulator.request import InvalidRequest, parse_request
from playground.simulator.sse import answer_frames

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=8,
)
block_types = st.sampled_from(["text", "tool_use", "tool_result", "thinking", "image", "nope"])
blocks = st.fixed_dictionaries(
    {"type": block_types},
    optional={
        "text": json_values,
        "id": json_values,
        "name": json_values,
        "input": json_values,
        "tool_use_id": json_values,
        "content": json_values,
        "thinking": json_values,
    },
)
contents = st.text(max_size=30) | st.lists(blocks, max_size=3)
messages = st.lists(
    st.fixed_dictionaries(
        {"role": st.sampled_from(["user", "assistant", "system"])},
        optional={"content": contents | json_values},
    ),
    max_size=4,
)
conversations = st.one_of(
    st.tuples(contents).map(lambda c: [{"role": "user", "content": c[0]}]),
    st.tuples(contents, contents, contents).map(
        lambda c: [
            {"role": "user", "content": c[0]},
            {"role": "assistant", "content": c[1]},
            {"role": "user", "content": c[2]},
        ]
    ),
)
schemas = st.recursive(
    st.fixed_dictionaries(
        {},
        optional={
            "type": st.sampled_from(["object", "array", "string", "integer", "number", "boolean"])
            | json_values,
            "enum": json_values,
            "minimum": json_values,
            "maximum": json_values,
            "minItems": json_values,
            "maxLength": json_values,
            "required": json_values,
        },
    ),
    lambda children: (
        st.fixed_dictionaries(
            {
                "type": st.just("object"),
                "properties": st.dictionaries(st.text(max_size=5), children),
            }
        )
        | st.fixed_dictionaries({"type": st.just("array"), "items": children})
    ),
    max_leaves=6,
)


def requests(required: dict, optional: dict) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(required, optional=optional)


fuzzed_core = {
    "model": st.sampled_from(["deepseek-v4-flash", "deepseek-v4-pro", ""]) | json_values,
    "max_tokens": st.integers(min_value=-5, max_value=400_000) | json_values,
    "messages": messages | json_values,
}
sound_core = {
    "model": st.sampled_from(["deepseek-v4-flash", "deepseek-v4-pro", "other"]),
    "max_tokens": st.integers(min_value=1, max_value=3000),
    "messages": conversations,
}
extras = {
    "system": st.text(max_size=20) | json_values,
    "stream": st.booleans() | json_values,
    "thinking": st.fixed_dictionaries({"type": st.sampled_from(["enabled", "disabled"])})
    | json_values,
    "stop_sequences": st.lists(st.text(max_size=3), max_size=5) | json_values,
    "temperature": json_values,
    "tools": st.lists(
        st.fixed_dictionaries({"name": st.text(min_size=1, max_size=6), "input_schema": schemas}),
        max_size=3,
    )
    | json_values,
    "tool_choice": st.fixed_dictionaries(
        {"type": st.sampled_from(["auto", "any", "none", "tool"])},
        optional={"name": st.text(max_size=6)},
    )
    | json_values,
    "output_config": st.fixed_dictionaries({"effort": st.sampled_from(["low", "max"])})
    | json_values,
}
bodies = st.one_of(requests({}, fuzzed_core | extras), requests(sound_core, extras))


@settings(max_examples=300, deadline=None)
@given(bodies)
def test_any_body_is_answered_or_refused_naming_a_field(body):
    try:
        request = parse_request(json.dumps(body).encode())
    except InvalidRequest as refusal:
        assert refusal.field
        assert str(refusal).startswith(f"{refusal.field}: ")
        return

    answer = compose_answer(request=request)
    frames = list(answer_frames(answer))

    assert answer.output_tokens <= request.max_tokens
    assert frames[-1].data.startswith(b"event: message_stop")
    json.dumps(answer.message())
