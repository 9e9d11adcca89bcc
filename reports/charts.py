"""Bar charts drawn on the server as inline SVG: no JavaScript, no CDN, readable offline.

Each chart carries its own text alternative (a <title> and a <desc> that states every figure)
and the same numbers as table rows, so the page can show the data table beside the picture.
Pure: plain data in, markup out.
"""

from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 400
LABEL_HEIGHT = 16
BAR_HEIGHT = 14
BAR_GAP = 3
GROUP_GAP = 10
LEGEND_HEIGHT = 22
LEGEND_CHAR_WIDTH = 7
VALUE_ROOM = 56
MAX_LABEL_CHARS = 52
# Dark enough for 3:1 against white (WCAG 1.4.11) and told apart by people with color
# blindness; every bar also carries its value as text.
COLORS = ("#1d3557", "#b45309", "#0f766e", "#7e22ce")


def _number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.1f}"
    else:
        text = f"{int(value):,}"
    return f"{text}{unit}"


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


@dataclass(frozen=True)
class Series:
    """One set of bars; a value of None means "no figure" (shown as a dash, not as zero)."""

    label: str
    values: list[float | None]


@dataclass
class BarChart:
    """A horizontal bar chart: one group of bars per category, one bar per series."""

    key: str
    title: str
    categories: list[str]
    series: list[Series]
    unit: str = ""
    max_value: float | None = None
    summary: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return bool(self.categories) and any(v for s in self.series for v in s.values)

    @property
    def table_rows(self) -> list[tuple[str, list[str]]]:
        return [
            (category, [_number(s.values[i], self.unit) for s in self.series])
            for i, category in enumerate(self.categories)
        ]

    @property
    def description(self) -> str:
        """Every figure in words: the text alternative of the picture."""
        parts = []
        for i, category in enumerate(self.categories):
            if len(self.series) == 1:
                parts.append(f"{category}: {_number(self.series[0].values[i], self.unit)}")
            else:
                figures = ", ".join(
                    f"{s.label} {_number(s.values[i], self.unit)}" for s in self.series
                )
                parts.append(f"{category}: {figures}")
        text = "; ".join(parts) + "." if parts else "No data."
        return f"{self.summary} {text}".strip()

    def _legend(self) -> list[tuple[Series, int, int]]:
        """(series, x, top) of each legend entry, wrapped onto as many lines as it needs."""
        if len(self.series) < 2:
            return []
        entries, x, top = [], 0, 0
        for series in self.series:
            width = 16 + LEGEND_CHAR_WIDTH * len(series.label) + 18
            if x and x + width > WIDTH:
                x, top = 0, top + LEGEND_HEIGHT
            entries.append((series, x, top))
            x += width
        return entries

    def svg(self) -> SafeString:
        scale_max = self.max_value or max(
            (v for s in self.series for v in s.values if v is not None), default=0
        )
        scale_max = scale_max or 1
        bar_room = WIDTH - VALUE_ROOM
        legend = self._legend()
        y = (legend[-1][2] + LEGEND_HEIGHT) if legend else 0
        group_height = LABEL_HEIGHT + len(self.series) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
        height = y + group_height * len(self.categories) or BAR_HEIGHT
        title_id, desc_id = f"chart-{self.key}-title", f"chart-{self.key}-desc"
        out = [
            f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
            f'viewBox="0 0 {WIDTH} {height}" width="100%" '
            f'preserveAspectRatio="xMinYMin meet" '
            f'aria-labelledby="{title_id}" aria-describedby="{desc_id}" '
            f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif" '
            f'font-size="12" fill="#212529">',
            f'<title id="{title_id}">{escape(self.title)}</title>',
            f'<desc id="{desc_id}">{escape(self.description)}</desc>',
        ]
        for index, (series, x, top) in enumerate(legend):
            color = COLORS[index % len(COLORS)]
            out.append(f'<rect x="{x}" y="{top + 4}" width="12" height="12" fill="{color}"/>')
            out.append(f'<text x="{x + 16}" y="{top + 14}">{escape(series.label)}</text>')
        for i, category in enumerate(self.categories):
            out.append(f'<text x="0" y="{y + 12}" class="label">{escape(_short(category))}</text>')
            bar_y = y + LABEL_HEIGHT
            for index, series in enumerate(self.series):
                value = series.values[i]
                width = round(bar_room * min(value, scale_max) / scale_max, 1) if value else 0
                color = COLORS[index % len(COLORS)]
                out.append(
                    f'<rect x="0" y="{bar_y}" width="{width}" height="{BAR_HEIGHT}" '
                    f'fill="{color}"/>'
                )
                out.append(
                    f'<text x="{width + 4}" y="{bar_y + 11}" class="value">'
                    f"{escape(_number(value, self.unit))}</text>"
                )
                bar_y += BAR_HEIGHT + BAR_GAP
            y += group_height
        out.append("</svg>")
        return mark_safe("".join(out))  # noqa: S308 - every text above is escaped
