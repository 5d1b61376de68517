"""Notes as data: one code and its fields rendered in both languages from the message catalogue."""
import pytest

from tiermodel.notes import Note, note
from tiermodel.present import messages
from tiermodel.present.labels import display_unit
from tiermodel.errors import OptionError


def test_every_message_has_both_languages_with_the_same_fields():
    # a template naming a field the other language lacks would show a half-filled sentence
    for code, templates in messages.catalogue().items():
        assert messages.field_names(templates["zh"]) == messages.field_names(templates["en"]), code


def test_one_note_rendered_in_both_languages():
    sample = note("page.sample_data", what="customers")
    assert messages.render(sample, "zh") == "样本数据：基于随机样本（customers），并非实际数据"
    assert messages.render(sample, "en") == "SAMPLE DATA: built on the seeded sample (customers), not on your data"


def test_vocabulary_words_and_nested_notes(monkeypatch):
    monkeypatch.setattr(messages, "catalogue", lambda: {
        "t.count": {"zh": "{n}名{tier!t}客户", "en": "{n} {tier!t} customers"},
        "t.both": {"zh": "{parts}。", "en": "{parts}."},
        "t.tiers": {"zh": "{tiers!t}", "en": "{tiers!t}"}})
    both = Note("t.both", {"parts": [note("t.count", n=3, tier="gold"), note("t.count", n=12, tier="silver")]})
    assert messages.render(both, "zh") == "3名金牌客户、12名银牌客户。"
    assert messages.render(both, "en") == "3 Gold customers, 12 Silver customers."
    assert messages.render(note("t.tiers", tiers=["gold", "silver"]), "zh") == "金牌、银牌"


def test_unknown_code_missing_field_and_unknown_word_are_refused():
    with pytest.raises(KeyError, match="no template"):
        messages.render(note("no.such.code"), "zh")
    with pytest.raises(KeyError, match="no field 'what'"):
        messages.render(note("page.sample_data"), "en")
    with pytest.raises(KeyError, match="no reader's word"):
        messages.word("platinum", "zh")


def test_display_unit_defaults_by_language_and_is_checked():
    assert display_unit("", "zh") == "wan"    # a committee reads 万元
    assert display_unit(None, "en") == "yuan"
    assert display_unit("yuan", "zh") == "yuan"
    with pytest.raises(OptionError, match="--display-unit"):
        display_unit("usd", "zh")
