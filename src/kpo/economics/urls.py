from django.urls import path

from kpo.economics.commercials import views as commercials
from kpo.economics.make_or_buy import views as make_or_buy

urlpatterns = [
    path("make-or-buy/", make_or_buy.make_or_buy_view, name="make_or_buy"),
    path("make-or-buy/<int:scenario_id>/", make_or_buy.scenario_detail, name="scenario_detail"),
    path("make-or-buy/<int:scenario_id>/delete/", make_or_buy.scenario_delete_view, name="scenario_delete"),
    # commercials: rate cards, time approval, invoices, milestones, budget, the client dashboard
    path("rate-cards/", commercials.rate_cards, name="rate_cards"),
    path(
        "rate-cards/<int:rate_line_id>/end/",
        commercials.rate_card_line_end_view,
        name="rate_card_line_end",
    ),
    path("commercials/", commercials.client_dashboard, name="client_commercials"),
    path(
        "engagements/<int:engagement_id>/commercials/",
        commercials.engagement_commercials,
        name="engagement_commercials",
    ),
    path(
        "engagements/<int:engagement_id>/commercials/terms/",
        commercials.engagement_terms,
        name="engagement_terms",
    ),
    path("engagements/<int:engagement_id>/milestones/", commercials.milestone_add, name="milestone_add"),
    path("milestones/<int:milestone_id>/reach/", commercials.milestone_reached, name="milestone_reach"),
    path("engagements/<int:engagement_id>/time/", commercials.time_approval, name="time_approval"),
    path("engagements/<int:engagement_id>/invoices/", commercials.invoice_issue_view, name="invoice_issue"),
    path("invoices/<int:invoice_id>/", commercials.invoice_detail, name="invoice_detail"),
    path("invoices/<int:invoice_id>/pdf/", commercials.invoice_pdf_view, name="invoice_pdf"),
    path("invoices/<int:invoice_id>/csv/", commercials.invoice_csv_view, name="invoice_csv"),
]
