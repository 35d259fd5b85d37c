"""A :class:`~core.report.document.Document` as one self-contained HTML page: opens offline, prints.

One Jinja2 template with autoescape (every text is escaped, user text or not) and one style
sheet for all reports. Charts are the pages' own Plotly figures, drawn with a named template
(inside the Streamlit server the default template is Streamlit's, whose colours the app's front
end fills in: they would come out black in a stand-alone file), and plotly.js is inlined once,
in the first chart.
"""

from __future__ import annotations

from collections.abc import Callable

import jinja2
import plotly.graph_objects as go
from markupsafe import Markup

from core.report.document import Badge, Document

CHART_HEIGHT = 420  # for a chart that does not set its own

_CSS = """
body { font-family: system-ui, "Segoe UI", "Hiragino Sans", "Noto Sans JP", sans-serif; color: #1f2328;
       margin: 0; background: #f6f8fa; line-height: 1.5; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
h2 { font-size: 1.25rem; border-bottom: 2px solid #d0d7de; padding-bottom: 4px; margin-top: 2rem; }
.meta, footer { color: #57606a; } footer { font-size: 0.85rem; margin-top: 2rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; } dt { font-weight: 600; }
dd { margin: 0; } section p { white-space: pre-line; } .figure { margin: 0.5rem 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.92rem; }
th, td { border: 1px solid #d0d7de; padding: 6px 8px; text-align: left; vertical-align: top; white-space: pre-wrap; }
th { background: #f6f8fa; } table.pairs th { width: 32%; }
pre { background: #f6f8fa; padding: 8px 12px; border-radius: 6px; white-space: pre-wrap; }
.alert { padding: 8px 12px; border-radius: 6px; border-left: 4px solid #1565c0; background: #e8f0fe; }
.alert.ok { border-color: #2e7d32; background: #e8f5e9; } .alert.warn { border-color: #b35c00; background: #fff4e5; }
.alert.bad { border-color: #c62828; background: #fdecea; }
.tag { font-weight: 600; white-space: nowrap; } .tag.ok { color: #1b7f3b; } .tag.warn { color: #b35c00; }
.tag.bad { color: #b3261e; }
nav ol { columns: 2; }
@media print { body { background: #fff; } main { padding: 0; } .figure, table { break-inside: avoid; }
               nav { display: none; } }
"""

_PAGE = """<!DOCTYPE html>
<html lang="{{ doc.lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{{ doc.title }}</title>
<style>{{ css }}</style></head>
<body><main><h1>{{ doc.title }}</h1>
{% if doc.meta %}<p class="meta">{{ doc.meta }}</p>
{% endif %}{% if doc.facts %}<dl class="facts">{% for k, v in doc.facts %}<dt>{{ k }}</dt><dd>{{ v }}</dd>{%
endfor %}</dl>
{% endif %}{% if doc.contents %}<nav><ol>{% for section in doc.sections %}<li><a href="#{{ section.key }}">{{
section.title }}</a></li>
{% endfor %}</ol></nav>
{% endif %}{% for section in doc.sections %}<section id="{{ section.key }}"><h2>{{ section.title }}</h2>
{% for b in section.blocks %}{% if b.kind == "heading" %}<h3>{{ b.text }}</h3>
{% elif b.kind == "text" %}<p>{{ b.text }}</p>
{% elif b.kind == "code" %}<pre><code>{{ b.text }}</code></pre>
{% elif b.kind == "alert" %}<p class="alert {{ b.tone }}">{{ b.text }}</p>
{% elif b.kind == "list" %}<ul>{% for row in b.rows %}<li>{{ row }}</li>{% endfor %}</ul>
{% elif b.kind == "pairs" %}<table class="pairs">{% for k, v in b.rows %}<tr><th>{{ k }}</th><td>{{ v }}</td></tr>
{% endfor %}</table>
{% elif b.kind == "table" %}<table><thead><tr>{% for h in b.header %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for row in b.rows %}<tr>{% for c in row %}<td>{% if c is badge %}<span class="tag {{ c.tone }}">{{ c.text }}</span>{%
else %}{{ c }}{% endif %}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
{% elif b.kind == "figure" and b.figure is not none %}<div class="figure">{{ chart(b.figure) }}</div>
{% endif %}{% endfor %}</section>
{% endfor %}{% if doc.footer %}<footer>{{ doc.footer }}</footer>
{% endif %}</main></body></html>
"""

_ENV = jinja2.Environment(autoescape=True)
_ENV.tests["badge"] = lambda value: isinstance(value, Badge)
_TEMPLATE = _ENV.from_string(_PAGE)


def _charts() -> Callable[[go.Figure], Markup]:
    """Draws figures in order; the first one carries plotly.js."""
    drawn = 0

    def chart(figure: go.Figure) -> Markup:
        nonlocal drawn
        fig = go.Figure(figure)  # the document's figure stays as built
        fig.update_layout(template="plotly_white", height=figure.layout.height or CHART_HEIGHT)
        drawn += 1
        return Markup(fig.to_html(full_html=False, include_plotlyjs=drawn == 1,
                                  config={"displaylogo": False, "responsive": True}))

    return chart


def render_html(doc: Document) -> str:
    """The document as one self-contained HTML page (plotly.js inline once; opens offline; printable)."""
    return _TEMPLATE.render(doc=doc, css=Markup(_CSS), chart=_charts())
