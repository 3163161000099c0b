"""The harness behind the reading list: load, check, fetch, draw and render the exemplars."""
