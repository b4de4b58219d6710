"""Accounts pages, one module per idea: auth (sign-up/in/out, password), keys, endpoints."""
