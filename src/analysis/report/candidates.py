"""The candidates page (``candidates.html``): every checkable statement found in the article, and
whether the ledger audits it.

The page lists the candidate claims :mod:`analysis.claims.extract` finds in the article text, in
article order, each with what it states and its standing in the ledger (by span overlap with the
ledger's quotes, :func:`analysis.claims.extract.score.overlaps`):

- **audited**: a ledger claim that names a measure covers it (linked to its scorecard row);
- **skipped**: a ledger entry covers it without a measure, and its note starts with "skipped:"
  (the reason after the colon is shown, e.g. "skipped: opinion");
- **in the ledger, not measured**: a ledger entry without a measure covers it (its note is shown);
- **not in the ledger**: nothing covers it, so a reviewer sees what was left out.

Ledger claims that no candidate covers are listed after the table.  Suggestions shown are not tried
on the data here (the draft ledger tries them), and carry no code names.

>>> status_of([])
('not in the ledger', '')
"""
import logging
import os
import pickle
import signal
import sys
import threading
from pathlib import Path

from analysis import atomic
from analysis.claims.extract.candidates import find_candidates
from analysis.claims.extract.draft import context_of
from analysis.claims.extract.score import overlaps
from analysis.claims.extract.suggest import propose

log = logging.getLogger(__name__)

#: The prefix of a ledger note that marks a statement deliberately left unchecked.
SKIPPED = "skipped:"


def status_of(entries) -> tuple:
    """``(status, detail)`` of a candidate covered by the ledger ``entries`` (claims)."""
    measured = [c for c in entries if c.measure is not None]
    if measured:
        return "audited", ""
    skipped = [c for c in entries if c.note.strip().lower().startswith(SKIPPED)]
    if skipped:
        return "skipped", skipped[0].note.strip()[len(SKIPPED):].strip()
    if entries:
        return "in the ledger, not measured", entries[0].note
    return "not in the ledger", ""


def candidate_rows(ledger, text=None, found=None) -> list:
    """The page's rows: each candidate with its statement, suggested check and ledger standing
    (``found``: the candidates of ``text``, when already found)."""
    text = ledger.article_text() if text is None else text
    context = context_of(ledger.article.folder, text)
    found = find_candidates(text, context.claimant) if found is None else found
    rows = []
    for number, c in enumerate(found, start=1):
        covering = [claim for claim in ledger.claims if overlaps(c, claim)]
        status, detail = status_of(covering)
        proposal = propose(c, context)
        rows.append({"number": number, "quote": c.quote, "type": c.type, "value": c.value, "unit": c.unit or "",
                     "wording": c.wording, "entity": c.entity, "period": c.period, "status": status,
                     "detail": detail, "claims": [claim.id for claim in covering if claim.measure is not None],
                     "check": proposal.check if proposal.measure else "", "reason": proposal.reason})
    return rows


def uncovered_claims(ledger, text=None, found=None) -> list:
    """The ledger claims no candidate covers (the extractor missed them, or they are not typed claims)."""
    text = ledger.article_text() if text is None else text
    found = find_candidates(text, ledger.article.claimant) if found is None else found
    return [c for c in ledger.claims if not any(overlaps(f, c) for f in found)]


def found_in(ledger) -> list:
    """The candidate claims :func:`find_candidates` finds in the ledger's article (found once per
    process for one text and claimant: :data:`_FOUND`)."""
    return _found(_text_and_claimant(ledger))


def _found(key) -> list:
    """The candidates of ``key`` (article text, claimant), found here unless this process has them."""
    if key not in _FOUND:
        _remember(key, find_candidates(*key))
    return list(_FOUND[key])


#: ``{(article text, claimant): candidates}`` found in this process, the most recent last (a pure
#: function of the two, and of this code): a process that builds many reports (the tests) finds each once.
_FOUND = {}
_FOUND_KEPT = 8


def _text_and_claimant(ledger) -> tuple:
    text = ledger.article_text()
    return text, context_of(ledger.article.folder, text).claimant


def _remember(key, found) -> None:
    _FOUND.pop(key, None)
    _FOUND[key] = tuple(found)
    while len(_FOUND) > _FOUND_KEPT:
        _FOUND.pop(next(iter(_FOUND)))


class FoundAhead:
    """Candidate claims being found by a child process (:func:`find_ahead`): :meth:`result` waits for
    them, :meth:`cancel` stops the child and drops them."""

    def __init__(self, key, pid=None, read=None):
        self.key, self.pid, self.read = key, pid, read

    def result(self) -> list:
        """The candidates: those the child sent, else (no child, or it failed) found here."""
        if self.pid is not None:
            data, status = self._collect()
            if status == 0 and data:
                _remember(self.key, pickle.loads(data))
            else:
                log.debug("the candidates were not found ahead (child status %s); finding them here", status)
        return _found(self.key)

    def cancel(self) -> None:
        """Stop the child (the run was interrupted or failed): nothing is found here."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._collect()

    def _collect(self) -> tuple:
        """What the child sent, and its exit status (None if it could not be collected); once."""
        pid, self.pid = self.pid, None
        with os.fdopen(self.read, "rb") as source:
            data = source.read()
        try:
            status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        except ChildProcessError:  # SIGCHLD ignored by whoever started this process: collected already
            status = None
        return data, status


def find_ahead(ledger) -> FoundAhead:
    """Start finding the candidate claims of the ledger's article (:func:`found_in`) in a child
    process, so that a run does it while its notebooks execute rather than after them (0.7 s, most of
    it compiling some hundred regular expressions: most of the candidates page's cost).  The child is a
    fork of this process, so it finds them from the same text with the same code, and keeps no file of
    this process open but its own pipe.  They are found here instead (when asked for) where a fork is
    not safe or possible: not on Linux, in a process running other threads (a fork copies only the
    calling thread, and a lock another thread held would stay held in the child), or when the fork
    fails; so they are if the child fails.  Candidates this process has found already are not looked
    for again.

    >>> from analysis.claims.ledger import load_ledger
    >>> ledger = load_ledger()
    >>> ahead = find_ahead(ledger)
    >>> _FOUND.clear()  # so that what follows is found by the child, if there is one
    >>> ahead.result() == list(find_candidates(*_text_and_claimant(ledger)))
    True
    """
    key = _text_and_claimant(ledger)
    if key in _FOUND or not sys.platform.startswith("linux") or threading.active_count() > 1:
        return FoundAhead(key)
    try:
        read, write = os.pipe()
    except OSError:
        return FoundAhead(key)
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return FoundAhead(key)
    if pid == 0:  # the child: find, send, and leave without running the parent's exit handlers
        code = 1
        try:
            os.closerange(3, write)
            os.closerange(write + 1, max(write + 1, os.sysconf("SC_OPEN_MAX")))
            with os.fdopen(write, "wb") as out:
                pickle.dump(find_candidates(*key), out)
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    return FoundAhead(key, pid, read)


def write_candidates_page(reports_dir, ledger, env, info, variant=None, found=None) -> Path:
    """Write ``candidates.html`` into ``reports_dir`` with the site's Jinja environment ``env``
    (``found``: the article's candidates, if already found: :func:`find_ahead`)."""
    text = ledger.article_text()
    found = found_in(ledger) if found is None else found
    rows = candidate_rows(ledger, text, found)
    counts = {}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    return atomic.write_text(Path(reports_dir) / "candidates.html", env.get_template("candidates.html.j2").render(
        info=info, variant=variant, rows=rows, counts=counts, missed=uncovered_claims(ledger, text, found),
        title=ledger.article.title))
