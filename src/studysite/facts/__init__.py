"""Key facts (numbers with units near a fact word) and exam tips, found in every note."""

from studysite.facts.extract import (
    Fact,
    Tip,
    extract_facts,
    extract_tips,
    facts_in,
    mark_conflicts,
    tips_in,
)

__all__ = ["Fact", "Tip", "extract_facts", "extract_tips", "facts_in", "mark_conflicts", "tips_in"]
