"""The sections-and-blocks body shared by the self-contained HTML reports (Jinja, autoescaped)."""

SECTIONS_HTML = """{% for section in sections %}<section id="{{ section.key }}"><h2>{{ section.title }}</h2>
{% for b in section.blocks %}{% if b.kind == "heading" %}<h3>{{ b.text }}</h3>
{% elif b.kind == "text" %}<p>{{ b.text }}</p>
{% elif b.kind == "code" %}<pre><code>{{ b.text }}</code></pre>
{% elif b.kind == "alert" %}<p class="alert {{ b.tone }}">{{ b.text }}</p>
{% elif b.kind == "list" %}<ul>{% for row in b.rows %}<li>{{ row }}</li>{% endfor %}</ul>
{% elif b.kind == "pairs" %}<table class="pairs">{% for k, v in b.rows %}<tr><th>{{ k }}</th><td>{{ v }}</td></tr>
{% endfor %}</table>
{% elif b.kind == "table" %}<table><thead><tr>{% for h in b.header %}<th>{{ h }}</th>{% endfor %}</tr></thead><tbody>
{% for row in b.rows %}<tr>{% for c in row %}<td>{{ c }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
{% elif b.kind == "figure" %}<div class="figure">{{ b.html }}</div>
{% endif %}{% endfor %}</section>
{% endfor %}</main></body></html>
"""
