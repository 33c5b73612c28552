from django.urls import path

from kpo.economics import commercial_views
from kpo.economics.make_or_buy import views

urlpatterns = [
    path("make-or-buy/", views.make_or_buy_view, name="make_or_buy"),
    path("make-or-buy/<int:scenario_id>/", views.scenario_detail, name="scenario_detail"),
    path("make-or-buy/<int:scenario_id>/delete/", views.scenario_delete_view, name="scenario_delete"),
    # commercials: rate cards, time approval, invoices, milestones, budget, the client dashboard
    path("rate-cards/", commercial_views.rate_cards, name="rate_cards"),
    path(
        "rate-cards/<int:rate_line_id>/end/",
        commercial_views.rate_card_line_end_view,
        name="rate_card_line_end",
    ),
    path("commercials/", commercial_views.client_dashboard, name="client_commercials"),
    path(
        "engagements/<int:engagement_id>/commercials/",
        commercial_views.engagement_commercials,
        name="engagement_commercials",
    ),
    path(
        "engagements/<int:engagement_id>/commercials/terms/",
        commercial_views.engagement_terms,
        name="engagement_terms",
    ),
    path("engagements/<int:engagement_id>/milestones/", commercial_views.milestone_add, name="milestone_add"),
    path("milestones/<int:milestone_id>/reach/", commercial_views.milestone_reached, name="milestone_reach"),
    path("engagements/<int:engagement_id>/time/", commercial_views.time_approval, name="time_approval"),
    path(
        "engagements/<int:engagement_id>/invoices/", commercial_views.invoice_issue_view, name="invoice_issue"
    ),
    path("invoices/<int:invoice_id>/", commercial_views.invoice_detail, name="invoice_detail"),
    path("invoices/<int:invoice_id>/pdf/", commercial_views.invoice_pdf_view, name="invoice_pdf"),
    path("invoices/<int:invoice_id>/csv/", commercial_views.invoice_csv_view, name="invoice_csv"),
]
