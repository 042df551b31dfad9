using System.Text.Json;
using Fieldline.Web.Features.Customers;
using Fieldline.Web.Infrastructure.Http;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record WorkOrderCustomerDto(int Id, string Name, string Phone, string Address, GeoPoint? Location);

public sealed record WorkOrderProductDto(int? Id, string ProductLine, string? Model, string? SerialNumber, DateOnly? PurchaseDate,
    DateOnly? WarrantyEndsOn, IReadOnlyList<string> WarrantyExclusions);

public sealed record TimelineDto(DateTimeOffset At, DateTimeOffset? DeviceAt, string Actor, string Role, string Action, string? FromStatus, string? ToStatus, JsonElement Data);

public sealed record PauseDto(DateTimeOffset From, DateTimeOffset? To, DateTimeOffset? NewDueAt, string Reason, string Actor);

/// <summary>
/// A clock as the API shows it. State: running, warning (past the progress-check point), overdue (past due, still
/// running), paused, met, breached (stopped after its deadline), exempt, cancelled.
/// </summary>
public sealed record ClockDto(string Name, string RuleId, bool IsTarget, DateTimeOffset StartedAt, DateTimeOffset? WarnAt, DateTimeOffset? DueAt, DateTimeOffset? StoppedAt,
    string State, string? ExemptReason, IReadOnlyList<PauseDto> Pauses)
{
    public static ClockDto From(Fieldline.Web.Features.Sla.SlaClock c, DateTimeOffset now, TimeZoneInfo zone)
    {
        var state = c.State switch
        {
            Sla.ClockState.Running when c.DueAt is { } due && now >= due => "overdue",
            Sla.ClockState.Running when c.WarnAt is { } warn && now >= warn => "warning",
            Sla.ClockState.Running when c.Pauses.Any(p => p.From <= now && (p.To is null || p.To > now)) => "paused",
            var s => JsonNames.Of(s),
        };
        return new ClockDto(c.Name, c.RuleId, c.IsTarget, BranchTime.Local(c.StartedAt, zone), BranchTime.Local(c.WarnAt, zone), BranchTime.Local(c.DueAt, zone), BranchTime.Local(c.StoppedAt, zone),
            state, c.ExemptReason, c.Pauses.OrderBy(p => p.From).Select(p => new PauseDto(BranchTime.Local(p.From, zone), BranchTime.Local(p.To, zone), BranchTime.Local(p.NewDueAt, zone), p.Reason, p.Actor)).ToList());
    }
}

public sealed record UsedPartDto(string PartNumber, string? Name, int Quantity);

/// <summary>A charge line; <c>overrideReason</c> flags a line a supervisor approved above the cap or without a price code (FEE-04).</summary>
public sealed record ChargeDto(string Description, decimal Amount)
{
    public string? PriceCode { get; init; }
    public string? PartNumber { get; init; }
    public int? Quantity { get; init; }
    /// <summary>The standard price of one unit (price list or catalogue list price) when the line was charged.</summary>
    public decimal? StandardPrice { get; init; }
    public string? OverrideReason { get; init; }
    public string? OverrideBy { get; init; }
}

public sealed record AttachmentDto(long Id, string Kind, string ContentType, long Size, string Url);

public sealed record WorkOrderDto(
    long Id, string Code, int Version, string Type, string Channel, string Status, string Priority, bool AngryCustomer, int BranchId,
    int PolicyVersion, WorkOrderCustomerDto Customer, WorkOrderProductDto Product, bool InWarranty, string ContactPerson, string ContactPhone,
    string Address, string? FaultDescription, TimeWindow? RequestedWindow, int? TechnicianId, TimeWindow? Appointment,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, bool EmptyTrip, string? Resolution, string? FaultCategory, string? Barcode,
    int? TestRunMinutes, IReadOnlyList<UsedPartDto> PartsUsed, IReadOnlyList<ChargeDto> Charges, string? InvoiceNumber, int? Satisfaction, string? CancelReason,
    IReadOnlyList<ClockDto> Clocks, IReadOnlyList<AttachmentDto> Attachments, IReadOnlyList<TimelineDto> Timeline, long? RepeatOf = null,
    string? TripCategory = null, IReadOnlyList<string>? Jobs = null, string? PaymentMethod = null, decimal? RemittedAmount = null, bool InPool = false);

public sealed record WorkOrderSummaryDto(long Id, string Code, int Version, string Type, string Status, string Priority, bool AngryCustomer,
    int BranchId, string CustomerName, string ContactPhone, string Address, string ProductLine, bool InWarranty, int? TechnicianId,
    TimeWindow? RequestedWindow, TimeWindow? Appointment, DateTimeOffset CreatedAt);

internal static class WorkOrderMapping
{
    public static WorkOrderDto ToDto(this WorkOrder o, Customer customer, RegisteredProduct? product, int policyNumber, TimeZoneInfo zone,
        IReadOnlyList<AttachmentDto> attachments)
    {
        DateTimeOffset L(DateTimeOffset t) => BranchTime.Local(t, zone);
        return new WorkOrderDto(
            o.Id, o.Code, o.Version, JsonNames.Of(o.Type), JsonNames.Of(o.Channel), JsonNames.Of(o.Status), JsonNames.Of(o.Priority), o.AngryCustomer,
            o.BranchId, policyNumber,
            new WorkOrderCustomerDto(customer.Id, customer.Name, customer.Phone, customer.Address,
                customer.Lat is { } lat && customer.Lng is { } lng ? new GeoPoint(lat, lng) : null),
            new WorkOrderProductDto(o.ProductId, o.ProductLine, o.ProductModel, o.SerialNumber, o.PurchaseDate, product?.WarrantyEndsOn,
                product?.WarrantyExclusions ?? []),
            o.InWarranty, o.ContactPerson, o.ContactPhone, o.Address, o.FaultDescription, Window(o.RequestedStart, o.RequestedEnd, zone),
            o.TechnicianId, Window(o.AppointmentStart, o.AppointmentEnd, zone), L(o.CreatedAt), BranchTime.Local(o.CompletedAt, zone),
            o.EmptyTrip, o.Resolution, o.FaultCategory, o.Barcode, o.TestRunMinutes,
            o.Parts.Select(p => new UsedPartDto(p.PartNumber, p.Name, p.Quantity)).ToList(),
            o.Charges.Select(c => new ChargeDto(c.Description, c.Amount)
            {
                PriceCode = c.PriceCode, PartNumber = c.PartNumber, Quantity = c.Quantity, StandardPrice = c.StandardPrice, OverrideReason = c.OverrideReason, OverrideBy = c.OverrideBy,
            }).ToList(), o.InvoiceNumber,
            o.Satisfaction, o.CancelReason, [], attachments,
            o.Timeline.OrderBy(t => t.At).ThenBy(t => t.Id).Select(t => new TimelineDto(L(t.At), BranchTime.Local(t.DeviceAt, zone), t.Actor, t.ActorRole, t.Action,
                t.FromStatus is { } f ? JsonNames.Of(f) : null, t.ToStatus is { } s ? JsonNames.Of(s) : null,
                JsonDocument.Parse(t.DataJson).RootElement.Clone())).ToList(), o.RepeatOfId, o.TripCategory, o.JobList,
            o.PaymentMethod is { } pm ? JsonNames.Of(pm) : null, o.RemittedAmount, o.InPool);
    }

    public static WorkOrderSummaryDto ToSummary(this WorkOrder o, string customerName, TimeZoneInfo zone) => new(
        o.Id, o.Code, o.Version, JsonNames.Of(o.Type), JsonNames.Of(o.Status), JsonNames.Of(o.Priority), o.AngryCustomer, o.BranchId, customerName,
        o.ContactPhone, o.Address, o.ProductLine, o.InWarranty, o.TechnicianId, Window(o.RequestedStart, o.RequestedEnd, zone),
        Window(o.AppointmentStart, o.AppointmentEnd, zone), BranchTime.Local(o.CreatedAt, zone));

    private static TimeWindow? Window(DateTimeOffset? start, DateTimeOffset? end, TimeZoneInfo zone) =>
        start is null && end is null ? null : new TimeWindow(BranchTime.Local(start, zone), BranchTime.Local(end, zone));
}
