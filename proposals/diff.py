"""Word-level differences between two texts, marked for a side-by-side comparison."""

from difflib import SequenceMatcher

from django.utils.html import escape
from django.utils.safestring import mark_safe

#: Longest text, in words, compared word by word. Matching words costs more than linear time
#: (seconds for a few thousand repetitive words), so a longer text is marked as a whole:
#: one request can never tie up a worker.
COMPARE_MAX_WORDS = 1000


def marked_pair(old: str, new: str) -> tuple[str, str]:
    """`old` with removed words in <del>, `new` with added words in <ins>; HTML-escaped.

    Texts over COMPARE_MAX_WORDS words that differ are marked whole: all of `old` removed,
    all of `new` added.
    """
    old_words, new_words = old.split(" "), new.split(" ")
    if max(len(old_words), len(new_words)) > COMPARE_MAX_WORDS:
        opcodes = [("equal" if old == new else "replace", 0, len(old_words), 0, len(new_words))]
    else:
        opcodes = SequenceMatcher(a=old_words, b=new_words, autojunk=False).get_opcodes()
    old_out, new_out = [], []
    for tag, i1, i2, j1, j2 in opcodes:
        removed = escape(" ".join(old_words[i1:i2]))
        added = escape(" ".join(new_words[j1:j2]))
        if tag == "equal":
            old_out.append(removed)
            new_out.append(added)
            continue
        if removed:
            old_out.append(f'<del class="app-diff-removed">{removed}</del>')
        if added:
            new_out.append(f'<ins class="app-diff-added">{added}</ins>')
    return mark_safe(" ".join(old_out)), mark_safe(" ".join(new_out))
