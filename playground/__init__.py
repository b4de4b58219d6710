"""Playground: a self-hosted playground for Anthropic-compatible Messages APIs."""
