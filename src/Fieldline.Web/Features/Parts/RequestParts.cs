using Fieldline.Web.Features.Identity;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Parts;

public sealed record RequisitionLineInput(string? PartNumber, int? Quantity);

/// <summary><c>workOrderId</c> for an order's parts; without it the parts are for the van.</summary>
public sealed record RequisitionRequest(long? WorkOrderId, List<RequisitionLineInput>? Lines, string? Note);

public sealed record RequisitionLineDto(string PartNumber, string PartName, int Quantity);

public sealed record RequisitionDto(long Id, int TechnicianId, string TechnicianName, long? WorkOrderId, string? WorkOrderCode, string Status, string? Note,
    DateTimeOffset RequestedAt, DateTimeOffset? IssuedAt, IReadOnlyList<RequisitionLineDto> Lines, int Version);

/// <summary>The technician asks the warehouse for parts on the phone (领料), for one of their orders or for the van; refused while out-of-warranty parts cost is owed (FEE-12, <see cref="PartsCostOwed"/>).</summary>
public sealed class RequestParts(AppDbContext db, TimeProvider clock, FindRequisitions find, PartsCostOwed owed)
{
    public const int MaxLines = 30;

    public async Task<RequisitionDto> Handle(CurrentUser user, RequisitionRequest r, CancellationToken ct)
    {
        user.RequireAny("request parts", Roles.Technician);
        var technician = await db.Technicians.AsNoTracking().FirstOrDefaultAsync(t => t.UserId == user.UserId, ct)
            ?? throw new ForbiddenException("Only a technician with a profile may {0}.", Msg.Action("request parts"));
        var v = new Validator().MaxLength(r.Note, 500, "note");
        if (r.Lines is not { Count: > 0 }) v.Add("lines", "{0}: at least one part.");
        else if (r.Lines.Count > MaxLines) v.Add("lines", "{0}: at most {1} parts.", MaxLines);
        for (var i = 0; i < (r.Lines?.Count ?? 0); i++)
        {
            v.RequiredText(r.Lines![i]?.PartNumber, 64, $"lines[{i}].partNumber");
            StockRules.Quantity(v, r.Lines[i]?.Quantity, $"lines[{i}].quantity");
        }
        v.ThrowIfInvalid();
        if (r.WorkOrderId is { } orderId && !await db.WorkOrders.AnyAsync(o => o.Id == orderId && o.TechnicianId == technician.Id, ct))
            throw new NotFoundException("Work order", orderId);
        var numbers = r.Lines!.Select(l => l.PartNumber!.Trim()).Distinct().ToList();
        var parts = await db.Parts.Where(p => numbers.Contains(p.PartNumber) && p.Active).ToDictionaryAsync(p => p.PartNumber, ct);
        for (var i = 0; i < r.Lines!.Count; i++)
            if (!parts.ContainsKey(r.Lines[i].PartNumber!.Trim()))
                v.Add($"lines[{i}].partNumber", "{0}: '{1}' is not a part of the catalogue.", r.Lines[i].PartNumber);
        v.ThrowIfInvalid();
        await owed.Check(technician.Id, ct);

        var requisition = new Requisition
        {
            BranchId = technician.BranchId, TechnicianId = technician.Id, WorkOrderId = r.WorkOrderId, Note = string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim(),
            RequestedAt = clock.GetUtcNow(),
        };
        requisition.Lines.AddRange(r.Lines.GroupBy(l => l.PartNumber!.Trim())
            .Select(g => new RequisitionLine { PartId = parts[g.Key].Id, Quantity = g.Sum(l => l.Quantity!.Value) }));
        db.Requisitions.Add(requisition);
        await db.SaveChangesAsync(ct);
        return (await find.Dtos(db.Requisitions.AsNoTracking().Where(x => x.Id == requisition.Id), ct)).Single();
    }
}
