using Fieldline.Web.Features.Customers;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.WorkOrders;

public sealed record LeadRequest(string? Type, CustomerInput? Customer, string? ProductLine, string? ProductModel, DateOnly? PurchaseDate,
    string? FaultDescription, string? Note);

/// <summary>
/// What the technician learns about the order their lead became: no more than they typed. The order may be matched by phone
/// to a customer already on file, whose stored name and address a technician must not read (they may not see the order either).
/// </summary>
public sealed record LeadReceiptDto(long Id, string Code, string Status, string Channel, int BranchId, DateTimeOffset CreatedAt);

/// <summary>
/// DSP-12 (SC-10): a technician who is offered a job outside the company registers it instead of doing it privately. It
/// becomes a normal order in the branch's queue (channel technicianLead, the technician named on the timeline), and the
/// company dispatches it, possibly to them; until then they have no order to visit.
/// </summary>
public sealed class RegisterLead(CreateWorkOrder create, AppDbContext db)
{
    public async Task<LeadReceiptDto> Handle(CurrentUser user, LeadRequest r, CancellationToken ct)
    {
        var role = user.RequireAny("register a lead", Roles.Technician);
        var v = new Validator();
        if (r.Customer is null) v.Add("customer", "{0} (name, phone, address) is required.");
        v.MaxLength(r.Note, 500, "note").ThrowIfInvalid();
        if (!await db.Technicians.AnyAsync(t => t.UserId == user.UserId, ct)) throw new ForbiddenException("Only a technician with a profile registers leads.");
        var fault = string.IsNullOrWhiteSpace(r.Note) ? r.FaultDescription : $"{r.FaultDescription} (技师登记: {r.Note.Trim()})";
        var order = await create.Handle(user, new CreateWorkOrderRequest(r.Type ?? "repair", "technicianLead", null, r.Customer, null, r.ProductLine, r.ProductModel,
            r.PurchaseDate, null, null, fault, "normal", false, null, user.BranchId), role, ct);
        return new LeadReceiptDto(order.Id, order.Code, order.Status, order.Channel, order.BranchId, order.CreatedAt);
    }
}
