"""The Anthropic Messages protocol, in pure Python and httpx (no Django here).

``profiles`` and ``providers`` say where requests go and what each upstream accepts; ``request``
(with ``request_content``, ``request_tools`` and ``validation``) builds and checks request
bodies; ``sse``, ``partial_json`` and ``fold`` turn a response stream into the final message;
``errors`` reads upstream failures; ``client`` talks to the upstream, with retries.
"""
