"""Test yourself: cards made from the notes (:mod:`.make`) and their place in the site
(:mod:`.pages`: trainer pages, the cards script, the Anki export)."""

from studysite.cards.make import KINDS, Card, blank_names, card_id, drop_reason, make_cards
from studysite.cards.pages import add_cards, anki_tsv, card_data, cards_script

__all__ = [
    "KINDS",
    "Card",
    "add_cards",
    "anki_tsv",
    "blank_names",
    "card_data",
    "card_id",
    "cards_script",
    "drop_reason",
    "make_cards",
]
