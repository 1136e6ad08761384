"""Render: turn routed sections into Markdown pages."""
