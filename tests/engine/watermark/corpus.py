"""Small business-prose fixtures for the watermark tests."""

from __future__ import annotations

EN = (
    "The company's revenue grew by 12 % in the third quarter, driven by strong demand for "
    "advisory services in the Nordic region. Operating costs were kept in check, and the project "
    "pipeline for next year looks healthy. We expect the offshore delivery centre to reach full "
    "capacity by March, provided that recruitment of senior analysts continues at the present pace."
)
DA = (
    "Virksomhedens omsætning steg med 12 % i tredje kvartal, drevet af en stærk efterspørgsel efter "
    "rådgivning i Norden. Driftsomkostningerne blev holdt nede, og projektporteføljen for næste år "
    "ser sund ud. Vi forventer, at leverancecentret når fuld kapacitet i marts, hvis rekrutteringen "
    "af erfarne analytikere fortsætter i samme tempo."
)
MARKDOWN = f"""# Quarterly review

{EN}

## Details

- Revenue per client grew in every segment, see `report_q3.xlsx` for the figures.
- The [pricing model](https://example.com/pricing?id=7&x=y) is unchanged.
1. Contact finance@example.com before publishing.

| Segment | Growth |
|---------|--------|
| Advisory | 12 % |

```python
def growth(previous: float, current: float) -> float:
    return (current - previous) / previous
```

    indented code stays as it is

> Quoted remark from the steering committee about the pipeline.

{DA}
"""
