from django.contrib import admin

from motcua.admin import ReadOnlyAdmin, ReadOnlyInline
from motcua.payments.models import Payment, PaymentEvent, SettlementMismatch, SettlementRun


class PaymentEventInline(ReadOnlyInline):
    model = PaymentEvent
    fields = ("at", "message", "verified", "outcome", "old_state", "new_state")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("txn_ref", "dossier", "purpose", "amount", "state", "receipt_number")
    list_filter = ("state", "purpose", "gateway")
    search_fields = ("txn_ref", "transaction_no", "receipt_number", "dossier__code")
    inlines = (PaymentEventInline,)


@admin.register(PaymentEvent)
class PaymentEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "message", "txn_ref", "verified", "outcome")
    list_filter = ("message", "verified")
    search_fields = ("txn_ref",)


class SettlementMismatchInline(ReadOnlyInline):
    model = SettlementMismatch
    fields = ("kind", "is_refund", "txn_ref", "gateway_amount", "our_amount", "our_state")


@admin.register(SettlementRun)
class SettlementRunAdmin(ReadOnlyAdmin):
    list_display = ("settlement_date", "ran_at", "gateway_rows", "matched", "mismatched", "error")
    inlines = (SettlementMismatchInline,)
