"""What the review stage adds to the consortium page of the applications app (see applications.links)."""

from django.urls import reverse

from applications import links, permissions


@links.consortium_link
def review_page(user, consortium):
    if permissions.can_review(user, consortium)[0]:
        return "进入审查页面", reverse("reviews:review", args=[consortium.pk])
    return None


@links.consortium_link
def filing_notice(user, consortium):
    if consortium.record_number:
        return "下载备案通知书（PDF）", reverse("reviews:filing_notice", args=[consortium.pk])
    return None
