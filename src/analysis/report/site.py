"""The reviewer's report: the static site ``reports/`` that a reader opens in a browser.

:func:`build_site` writes, from one run's results:

- ``index.html``: the scorecard page, every ledger claim in article order (quote,
  stated and measured value, verdict badge and its robustness across the claim's
  multiverse, one-line reason, links to the notebook section and to each source),
  with verdict and theme filters that run in the page;
- ``article.html``: the article's full text with every claim highlighted in its verdict's colour,
  each opening its verdict card (:mod:`analysis.report.article_page`);
- ``about.html``: what the audit found (sentences generated from the verdicts,
  :mod:`analysis.report.summary`), the article's author, outlet and date, the method, how to cite;
- ``changes.html``: the changes between the repository's tagged versions (:mod:`analysis.report.changelog`);
- ``sources.html``: the provenance page, every pinned dataset (publisher, URL,
  SHA-256, retrieved date) and every cited row, each with an anchor the measured
  values link to (:mod:`analysis.data.provenance`), in plain words, with ``sources.csv`` beside it
  (:mod:`analysis.report.sources_page`);
- one page per executed notebook, re-rendered with a header (build date, git
  commit, parameters, data vintages, the claims and their verdicts) and the code
  hidden until the reader shows it;
- the exports ``scorecard.csv`` and ``claimreview.jsonld`` (:mod:`analysis.report.claimreview`).

A variant (a run with changed parameters, :mod:`analysis.report.variants`) says so in a banner
on every page, and has no ``claimreview.jsonld``: its verdicts are a what-if, not the fact-check.

Pages are self-contained (CSS and script inline, figures embedded): no server and
no network are needed to read them.  Every text that comes from data is escaped by
the templates (Jinja2 autoescaping).

>>> badge("not supported")["icon"]
'✗'
>>> one_line("It holds. The rest explains why.")
('It holds.', 'The rest explains why.')
"""
import functools
import os
import re
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import jinja2

from analysis import atomic, paths
from analysis.claims import multiverse
from analysis.claims.ledger import readings_in_words
from analysis.claims.verdicts import SCALE, Verdict
from analysis.data import manifest as _manifest
from analysis.data import provenance
from analysis.report import article_page, changelog, claimreview, markup, names, summary
from analysis.report.candidates import write_candidates_page
from analysis.report.scorecard import NOT_RUN, write_scorecard
from analysis.report.sources_page import write_sources_page
from analysis.report.urls import web_url

SITE_TEMPLATES = paths.TEMPLATES / "site"
#: Notebook pages use the nbconvert template ``audit`` (``templates/audit``).
NOTEBOOK_TEMPLATE = "audit"
#: The notebook that shows each claim's multiverse (the scorecard's robustness column links to it).
ROBUSTNESS_NOTEBOOK = "07_robustness"
#: The pages every page's navigation lists: ``(file, label)``, in reading order.
NAV_PAGES = (("index.html", "Scorecard"), ("article.html", "The article, annotated"), ("sources.html", "Sources"),
             ("candidates.html", "Claims found in the text"), ("about.html", "Method and citation"), ("changes.html", "Changes"))
#: The verdict label shown for a claim whose notebook failed in this run.
FAILED = "notebook failed"

#: Badge look per verdict: an Okabe–Ito colour, a text colour with enough contrast, and an icon,
#: so that a verdict never rests on colour alone (the label is always written out too).  The verdicts'
#: looks come from the scale (:data:`analysis.claims.verdicts.SCALE`); two run states are added here.
BADGES = {
    **{v.value: {"colour": look.colour, "text": look.text, "icon": look.icon} for v, look in SCALE.items()},
    FAILED: {"colour": "#000000", "text": "#FFF", "icon": "!"},
    NOT_RUN: {"colour": "#DDDDDD", "text": "#000", "icon": "–"},
}

#: What each label means, for the pages' keys (a label without one is shown with its badge alone).
MEANINGS = {
    **{v.value: look.meaning for v, look in SCALE.items()},
    FAILED: "the notebook that checks it failed in this build",
    NOT_RUN: "this variant did not run the notebook that checks it",
}


def meanings(variant=None) -> list:
    """``[(label, meaning)]`` for the key of every label a page can show, in the scale's order."""
    return [(v, MEANINGS.get(v, "")) for v in BADGES if v != NOT_RUN or variant is not None]


def badge(verdict) -> dict:
    """How a verdict is drawn: ``{label, slug, colour, text, icon, tint}`` (unknown labels get a neutral
    look); ``tint`` is the colour a third strong over white, the background of a highlighted quote.

    >>> badge("supported")["tint"]
    '#aadfd0'
    """
    look = BADGES.get(str(verdict), {"colour": "#FFFFFF", "text": "#000", "icon": "·"})
    return {"label": str(verdict), "slug": re.sub(r"[^a-z0-9]+", "-", str(verdict).lower()).strip("-"), **look,
            "tint": tint(look["colour"])}


def tint(colour, strength=1 / 3) -> str:
    """``colour`` (``#rrggbb``) mixed with white, ``strength`` of it kept.

    >>> tint("#000000"), tint("#FFFFFF")
    ('#aaaaaa', '#ffffff')
    """
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * strength):02x}" for c in channels)


def one_line(text) -> tuple:
    """``(first sentence, the rest)`` of a reason, for a one-line summary with details on demand.

    >>> one_line("Rank 5 of 2,500 (fiscal 2018/19): within the top 5.")
    ('Rank 5 of 2,500 (fiscal 2018/19): within the top 5.', '')
    """
    text = str(text or "").strip()
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"(])", text, maxsplit=1)
    return (parts[0], parts[1] if len(parts) > 1 else "")


@dataclass(frozen=True)
class BuildInfo:
    """When and from which commit the report was built."""

    date: str
    commit: str
    dirty: bool = False
    dated_by: str = ""  # where the date comes from: "the commit", "SOURCE_DATE_EPOCH", "the build time"

    @property
    def short_commit(self) -> str:
        return self.commit[:12] + (" (uncommitted changes)" if self.dirty else "")


def _independence(claimant):
    """``row -> words``: whether a cited row is independent of the claimant (:mod:`analysis.data.ties`)."""
    from types import SimpleNamespace

    from analysis.data import ties

    def of(row) -> str:
        if row.is_fact:
            f = row.fields
            cited = SimpleNamespace(entity=f.get("entity", ""), source_url=f.get("source_url", ""),
                                    source_title=f.get("source_title", ""))
        elif row.dataset is not None:
            d = row.dataset
            cited = SimpleNamespace(entity=d.publisher, source_url=d.url or d.publisher_page, source_title=d.publisher)
        else:
            return ""
        return ties.independence(cited, claimant)

    return of


def build_info(root=None, environ=None) -> BuildInfo:
    """The git commit of ``root`` ("unknown" outside a git checkout) and the report's date (UTC): the
    commit's date, so that two builds of one commit are identical byte for byte; ``SOURCE_DATE_EPOCH``
    (seconds since 1970) overrides it, and only outside git is it the time of the build.

    >>> build_info(environ={"SOURCE_DATE_EPOCH": "0"}).date
    '1970-01-01T00:00:00Z'
    """
    environ = os.environ if environ is None else environ
    root = str(root or paths.ROOT)
    try:
        head = subprocess.run(["git", "-C", root, "log", "-1", "--format=%H %ct"], capture_output=True, text=True,
                              timeout=20)
        status = subprocess.run(["git", "-C", root, "status", "--porcelain", "--untracked-files=no"],
                                capture_output=True, text=True, timeout=20)
        commit, seconds = head.stdout.split() if head.returncode == 0 and head.stdout.strip() else ("unknown", "")
        dirty = commit != "unknown" and bool(status.stdout.strip())
    except (OSError, subprocess.SubprocessError):
        commit, seconds, dirty = "unknown", "", False
    epoch = environ.get("SOURCE_DATE_EPOCH") or seconds
    when = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    source = "SOURCE_DATE_EPOCH" if environ.get("SOURCE_DATE_EPOCH") else "the commit" if seconds else "the build time"
    return BuildInfo(date=when.strftime("%Y-%m-%dT%H:%M:%SZ"), commit=commit, dirty=dirty, dated_by=source)


def number(value) -> str:
    """A stated or measured value for display: whole numbers of five digits or more get
    thousands separators (years and small counts stay as they are).

    >>> number(3000000000), number("97000"), number(2018), number(19.059), number("2014/2016")
    ('3,000,000,000', '97,000', '2018', '19.059', '2014/2016')
    """
    text = _show(value)
    try:
        x = float(text)
    except ValueError:
        return text
    return f"{int(x):,}" if x.is_integer() and abs(x) >= 10000 else text


def _environment() -> jinja2.Environment:
    """The site's Jinja environment, one per process while the style sheet and scripts it embeds are
    unchanged (its templates compile once, and again when their files change: Jinja's auto-reload)."""
    names = ("style.css", "site.js", "article.js")
    return _environment_for(tuple((SITE_TEMPLATES / n).stat().st_mtime_ns for n in names))


def compile_templates() -> None:
    """Compile every page template of the site now, into this process's environment (they compile on
    first use, and are kept): a run does it while its notebooks execute, rather than after the last one
    (half of writing the site's pages is compiling their templates)."""
    env = _environment()
    for name in env.list_templates(extensions=["j2"]):
        env.get_template(name)


@functools.lru_cache(maxsize=1)
def _environment_for(stamps) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(SITE_TEMPLATES)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["number"] = number
    env.filters["web_url"] = web_url
    env.globals.update(badge=badge, css=(SITE_TEMPLATES / "style.css").read_text(encoding="utf-8"),
                       script=(SITE_TEMPLATES / "site.js").read_text(encoding="utf-8"),
                       article_script=(SITE_TEMPLATES / "article.js").read_text(encoding="utf-8"),
                       nav_pages=NAV_PAGES)
    return env


def _show(value) -> str:
    """A table value as text ('' for missing)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _sources(assessment, manifest) -> list:
    out = []
    for s in assessment.sources if assessment else ():
        anchor = provenance.anchor(s.ref, manifest) if s.ref else ""
        out.append({"label": s.label, "url": s.url, "ref": s.ref, "anchor": anchor})
    return out


def claim_rows(table, assessments, pages=(), failures=None, manifest=None) -> list:
    """The scorecard rows as the page shows them: number, the scorecard columns, the
    verdict's badge, the one-line reason and the rest, the sources with their provenance
    anchors, and the notebook section link (only to a page this build has)."""
    manifest = manifest or _manifest.load_manifest()
    by_id = {a.claim_id: a for a in assessments}
    failures = failures or {}
    rows = []
    for number, row in enumerate(table.to_dict(orient="records"), start=1):
        a = by_id.get(row["claim_id"])
        first, rest = one_line(row["reason"])
        sources = _sources(a, manifest)
        notebook = row["notebook"]
        rows.append({
            **{k: _show(v) for k, v in row.items()}, "number": number, "badge": badge(row["verdict"]),
            "reason_line": first, "reason_rest": rest, "sources": sources,
            "measured_anchor": next((s["anchor"] for s in sources if s["anchor"]), ""),
            "section": f"{notebook}.html#claim-{row['claim_id']}" if notebook in pages else "",
            "failure": failures.get(notebook, "") if notebook else "",
            "parameters": dict(a.parameters) if a else {},
        })
    return rows


def _parameter_rows(spec, values) -> list:
    """Each parameter as a page shows it: its label and its value's and default's labels (the ledger's plain
    words), beside the name and value a reader types to change it (``-p name value``)."""
    return [{"name": name, "value": values.get(name, p.default), "default": p.default,
             "changed": values.get(name, p.default) != p.default, "help": p.help, "label": p.title,
             "shown": p.show(values.get(name, p.default)), "default_shown": p.show(p.default),
             "typed": _typed(values.get(name, p.default))}
            for name, p in spec.parameters.items()]


def _typed(value) -> str:
    """A parameter value as typed after ``-p name`` (a list comma-separated)."""
    return ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


def _multiverse_table(ledger):
    """The article's multiverse table, or None if it has none (then datasets are derived by evaluating)."""
    path = multiverse.multiverse_path(ledger)
    return multiverse.load_multiverse(ledger=ledger) if path.is_file() else None


def _notebook_datasets(ledger, spec_name, assessments, manifest, table=None) -> list:
    keys = {k for c in ledger.claims if ledger.page_of(c) == spec_name
            for k in multiverse.datasets_read(c, ledger, table)}
    keys |= {d.key for d in provenance.datasets_cited(assessments, manifest)}
    return [{"dataset": d, "anchor": provenance.dataset_anchor(d.key), "title": names.dataset_title(d),
             "publisher": names.publisher_name(d)} for k, d in manifest.items() if k in keys]


#: The tag (and, on the page, the cell id) of the parameters cell papermill injects.
INJECTED = "injected-parameters"
#: Where a notebook page's header goes: :func:`render_notebook_body` leaves this mark, and
#: :func:`add_header` puts the header there (the body is cached; the header changes every build).
HEADER_SLOT = "<!-- audit-header -->"


def notebook_exporter():
    """The nbconvert HTML exporter for notebook pages (create once, render many: its templates
    are compiled on first use)."""
    from analysis.report.exporter import PageExporter

    return PageExporter(template_name=NOTEBOOK_TEMPLATE, extra_template_basedirs=[str(paths.TEMPLATES)])


def render_notebook_body(executed, title=None, exporter=None, name=None) -> str:
    """An executed notebook (its file, or the notebook itself, named ``name``: it is changed) rendered with
    the ``audit`` template, ``title`` as the page title and :data:`HEADER_SLOT` where the header goes."""
    import nbformat

    if isinstance(executed, nbformat.NotebookNode):
        node = executed
    else:
        name, node = Path(executed).stem, nbformat.read(str(executed), as_version=4)
    if title:
        node.metadata["title"] = title
    for cell in node.cells:  # papermill gives the cell it injects a random id, which the page would show
        if INJECTED in cell.metadata.get("tags", ()):
            cell["id"] = INJECTED
    body, _ = (exporter or notebook_exporter()).from_notebook_node(
        node, resources={"audit_header": HEADER_SLOT, "metadata": {"name": name}})
    return markup.clean(body)  # valid HTML: no style sheet in the body, header cells scoped


def add_header(body, header_html) -> str:
    """The page: ``body`` with ``header_html`` in its header slot (the first one: the slot
    comes before the notebook's own content).

    >>> add_header("<body><!-- audit-header --><main><!-- audit-header --></main>", "<h>")
    '<body><h><main><!-- audit-header --></main>'
    """
    if HEADER_SLOT not in body:
        raise ValueError("this page body has no header slot; render it with render_notebook_body")
    style = re.match(r"\s*(<style>.*?</style>)", header_html, flags=re.S)
    if style and "</head>" in body:  # a style sheet belongs in the head (HTML allows none in the body)
        body, header_html = body.replace("</head>", style.group(1) + "\n</head>", 1), header_html[style.end():]
    return body.replace(HEADER_SLOT, header_html, 1)


def render_notebook_page(executed, html_path, header_html, title=None, exporter=None) -> Path:
    """Render an executed notebook with the ``audit`` template, the given header above it and
    ``title`` as the page title (atomically)."""
    body = render_notebook_body(executed, title=title, exporter=exporter)
    return atomic.write_text(html_path, add_header(body, header_html))


def build_site(reports_dir, ledger, table, assessments, plan=(), executed=None, failures=None,
               info=None, manifest=None, raw_dir=None, bodies=None, pages=None, variant=None,
               not_run=(), base_url="", candidates=None) -> tuple:
    """Write the whole report into ``reports_dir``; returns ``(scorecard.csv, index.html)``.

    ``table``: the scorecard (:func:`analysis.report.scorecard.build_scorecard`);
    ``assessments``: what the notebooks published; ``plan``: ``[(NotebookSpec,
    parameters)]`` the run used; ``executed``: ``{notebook: executed .ipynb}`` of the
    notebooks that succeeded (their pages are re-rendered with the header);
    ``failures``: ``{notebook: why}``; ``raw_dir``: where cited rows are read
    (default ``data/raw``); ``bodies``: ``{notebook: page body}`` already rendered
    (:func:`render_notebook_body`, a string or a file holding it): only the header is added;
    the other pages are rendered here, all with one exporter; ``pages``: the notebook pages to
    write (default: every executed one; a page that is missing is written anyway); ``variant``: a
    :class:`analysis.report.variants.Variant` for a run with changed parameters (None: the
    published report); ``not_run``: the notebooks a variant did not run; ``base_url``: the address the
    report folder is published at (:func:`analysis.report.claimreview.base_url`), which makes the
    ClaimReview URLs and the citation absolute ('' keeps them relative); ``candidates``: the claims
    the article's text holds, if already found (:func:`analysis.report.candidates.find_ahead`).
    """
    reports_dir = Path(reports_dir)
    executed, failures = dict(executed or {}), dict(failures or {})
    manifest = manifest or _manifest.load_manifest()
    info = info or build_info()
    env = _environment()
    plan = list(plan)
    specs = {spec.name: (spec, values) for spec, values in plan}

    article = claimreview.article_info(ledger.article)
    csv_path = write_scorecard(table, reports_dir)
    reviews = reports_dir / "claimreview.jsonld"
    base_url = claimreview.base_url(base_url)
    scripts = {}
    if variant is None:
        document = claimreview.claim_reviews(table, assessments, info.date, article=article, base_url=base_url)
        atomic.write_text(reviews, claimreview.to_jsonld(document))
        scripts = {r["identifier"]: claimreview.to_script({"@context": document["@context"], **r})
                   for r in document["@graph"]}
    else:  # a what-if carries no rating that could pass for the fact-check's
        reviews.unlink(missing_ok=True)
        for name in not_run:  # a page left from an earlier report in this folder, not of this variant
            (reports_dir / f"{name}.html").unlink(missing_ok=True)

    by_notebook = {}
    for a in assessments:
        by_notebook.setdefault(ledger.page_of(ledger.claim(a.claim_id)), []).append(a)
    rows = claim_rows(table, assessments, pages=set(executed), failures=failures, manifest=manifest)
    for r in rows:  # what each verdict was checked under, in the ledger's plain words
        r["readings"] = readings_in_words(ledger.claim(r["claim_id"]), r["parameters"])
    exporter, specifications = None, _multiverse_table(ledger)
    pages = set(executed if pages is None else pages)
    for name, path in executed.items():
        if name not in pages and (reports_dir / f"{name}.html").is_file():
            continue
        spec, values = specs[name] if name in specs else (ledger.notebooks[name], ledger.notebooks[name].defaults())
        mine = [r for r in rows if r["notebook"] == name]
        header = env.get_template("notebook_header.html.j2").render(
            info=info, spec=spec, parameters=_parameter_rows(spec, values), claims=mine, variant=variant,
            datasets=_notebook_datasets(ledger, name, by_notebook.get(name, []), manifest, specifications))
        body = (bodies or {}).get(name)
        if body is None:
            exporter = exporter or notebook_exporter()
            body = render_notebook_body(path, title=spec.title, exporter=exporter)
        elif isinstance(body, Path):
            body = body.read_text(encoding="utf-8")
        atomic.write_text(reports_dir / f"{name}.html", add_header(body, header))

    write_sources_page(reports_dir, env, info=info, variant=variant, assessments=assessments, manifest=manifest,
                       raw_dir=raw_dir, independence=_independence(getattr(ledger.article, "claimant", "") or ""))
    write_candidates_page(reports_dir, ledger, env, info, variant, found=candidates)

    counts = {v.value: 0 for v in SCALE if v is not Verdict.NOT_YET_AUDITED}  # every verdict side by side, 0s too
    for r in rows:
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
    verdict_order = [v for v in BADGES if v in counts] + sorted(set(counts) - set(BADGES))
    robustness_page = f"{ROBUSTNESS_NOTEBOOK}.html" if ROBUSTNESS_NOTEBOOK in executed else ""
    meta = article_page.article_meta(ledger.article)
    findings = _findings(rows, counts, verdict_order)
    for page, extra in (("about", {"cite": summary.citation(article, info, claimreview.REVIEWER["name"], base_url),
                                   "policies": _policies(), "claims": len(rows)}),
                        ("changes", {"versions": changelog.versions()})):
        atomic.write_text(reports_dir / f"{page}.html", env.get_template(f"{page}.html.j2").render(
            info=info, variant=variant, article=article, meta=meta, findings=findings,
            meanings=meanings(variant), **extra))
    atomic.write_text(reports_dir / "article.html", env.get_template("article.html.j2").render(
        info=info, variant=variant, article=article, meta=meta,
        paragraphs=article_page.annotate(ledger.article.text(), article_page.spans_of(ledger)),
        rows=rows, cards={r["claim_id"]: r for r in rows}, counts=counts, verdicts=verdict_order,
        robustness_page=robustness_page, reviews=scripts))
    titles = {**{n: s.title for n, s in ledger.notebooks.items()}, **{n: s.title for n, (s, _) in specs.items()}}
    notebooks = [{"name": n, "title": titles[n], "built": n in executed,
                  "failure": failures.get(n, ""), "not_run": n in not_run,
                  "changed": [p for p in _parameter_rows(*specs[n]) if p["changed"]] if n in specs else []}
                 for n in titles]
    index = atomic.write_text(reports_dir / "index.html", env.get_template("index.html.j2").render(
        info=info, rows=rows, counts=counts, verdicts=verdict_order,
        themes=sorted({r["theme"] for r in rows}), notebooks=notebooks,
        robustness_page=robustness_page, article=article, variant=variant, meta=meta, findings=findings,
        meanings=meanings(variant)))
    return csv_path, index


def _findings(rows, counts, order) -> dict:
    """The summary's sentences (:mod:`analysis.report.summary`): verdict counts, the claims without a
    verdict, and the claims that fail or conflict."""
    unchecked = {v: n for v, n in counts.items() if v in claimreview.UNREVIEWED}
    return {"counts": summary.counts_sentence({v: n for v, n in counts.items() if v not in unchecked}, order),
            "unchecked": summary.unchecked_sentence(unchecked), "named": summary.named(rows)}


def _policies() -> list:
    """The judge's declared policies as the method section lists them (names in plain words)."""
    from analysis.claims.judge import POLICIES

    return [{"name": p.name.replace("_", " "), "text": p.text} for p in POLICIES.values()]


def write_landing(reports_root, also=None) -> Path:
    """``reports/index.html``: a list of the article reports built under ``reports_root``
    (each ``<slug>/index.html``), so a reader who opens the top folder finds them."""
    from analysis.claims.articles import list_articles, load_article

    root = Path(reports_root)
    built = []
    articles = list_articles()
    if also is not None and also.folder not in articles:  # an article audited from a folder outside articles/
        articles.append(also.folder)
    for folder in articles:
        if (root / folder.name / "index.html").is_file():
            article = load_article(folder)
            built.append({"href": f"{folder.name}/index.html", "title": article.title, "author": article.author})
    for page in sorted(root.glob("*/index.html")):
        if page.parent.name not in {b["href"].split("/")[0] for b in built} and page.parent.name != "specs":
            built.append({"href": f"{page.parent.name}/index.html", "title": page.parent.name, "author": ""})
    return atomic.write_text(root / "index.html", _environment().get_template("landing.html.j2").render(
        reports=built, info=build_info()))
