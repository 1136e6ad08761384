"""Browser tests (headless Chromium): search, clicks and the offline edition."""
