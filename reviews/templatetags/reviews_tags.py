from django import template

register = template.Library()


@register.filter
def submitted_count(assignments):
    return sum(1 for a in assignments if a.submitted_at)
