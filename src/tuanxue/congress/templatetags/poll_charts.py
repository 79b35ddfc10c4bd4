"""``{% poll_result_chart poll result %}``: the poll's result as a chart with its table."""

from django import template
from django.template.loader import render_to_string

from tuanxue.congress.charts import poll_chart

register = template.Library()


@register.simple_tag
def poll_result_chart(poll, result):
    return render_to_string("core/_chart.html", {"chart": poll_chart(poll, result)})
