using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Claims;

/// <summary>Evidence: photos of the order (<c>evidenceAttachmentIds</c>) and/or its old parts brought back (<c>evidenceOldPartIds</c>), at least one.</summary>
public sealed record WarrantyClaimRequest(long? WorkOrderId, string? Brand, decimal? LabourAmount, string? Description, List<long>? EvidenceAttachmentIds, List<long>? EvidenceOldPartIds);

/// <summary>
/// A claim to the manufacturer for the in-warranty work and parts of a completed order (索赔, WAR-05, PRT-19), with its
/// evidence passed on: the parts are valued at the catalogue's unit cost, the labour as claimed. An out-of-warranty order
/// is not claimed (409); one order has one claim at a time (a rejected one may be claimed again).
/// </summary>
public sealed class SubmitWarrantyClaim(AppDbContext db, WorkOrderAccess orders, TimeProvider clock, FindWarrantyClaims find)
{
    public static readonly string[] Submitters = [Roles.Admin, Roles.Manager, Roles.Supervisor, Roles.WarehouseKeeper];

    public async Task<WarrantyClaimDto> Handle(CurrentUser user, WarrantyClaimRequest r, CancellationToken ct)
    {
        user.RequireAny("submit a warranty claim", Submitters);
        var v = new Validator().RequiredText(r.Description, 2000, "description").MaxLength(r.Brand, 64, "brand");
        if (r.WorkOrderId is null) v.Add("workOrderId", "{0} is required.");
        if (r.LabourAmount is { } l && (l < 0 || l > 1_000_000 || decimal.Round(l, 2) != l)) v.Add("labourAmount", "{0} must be an amount of 0 or more with at most 2 decimals.");
        var photos = r.EvidenceAttachmentIds ?? [];
        var oldParts = r.EvidenceOldPartIds ?? [];
        if (photos.Count + oldParts.Count == 0) v.Add("evidenceAttachmentIds", "{0}: a photo of the defective product or the damaged part brought back is required.");
        v.ThrowIfInvalid();

        var order = await orders.Visible(user).AsNoTracking().Include(o => o.Parts).FirstOrDefaultAsync(o => o.Id == r.WorkOrderId, ct)
            ?? throw new NotFoundException("Work order", r.WorkOrderId!.Value);
        if (order.Status is not (WorkOrderStatus.Completed or WorkOrderStatus.Visited or WorkOrderStatus.Closed))
            throw new IllegalTransitionException(order.Status, "submit a warranty claim");
        if (!order.InWarranty) throw new ConflictException(Msg.Of("Order {0} is out of warranty: there is nothing to claim from the brand.", order.Code));
        var knownPhotos = await db.Attachments.Where(a => a.WorkOrderId == order.Id && photos.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
        var knownParts = await db.OldParts.Where(p => p.WorkOrderId == order.Id && oldParts.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct);
        foreach (var id in photos.Except(knownPhotos)) v.Add("evidenceAttachmentIds", "{0}: {1} is not a file of this order.", id);
        foreach (var id in oldParts.Except(knownParts)) v.Add("evidenceOldPartIds", "{0}: {1} is not an old part of this order.", id);
        v.ThrowIfInvalid();
        if (await db.Set<WarrantyClaim>().AnyAsync(c => c.WorkOrderId == order.Id && c.Status != WarrantyClaimStatus.Rejected, ct))
            throw new ConflictException(Msg.Of("Order {0} is already claimed from the brand.", order.Code));

        var numbers = order.Parts.Select(p => p.PartNumber).Distinct().ToList();
        var costs = await db.Parts.AsNoTracking().Where(p => numbers.Contains(p.PartNumber)).ToDictionaryAsync(p => p.PartNumber, p => p.UnitCost, ct);
        var claim = new WarrantyClaim
        {
            BranchId = order.BranchId, WorkOrderId = order.Id, Brand = string.IsNullOrWhiteSpace(r.Brand) ? null : r.Brand.Trim(),
            LabourAmount = r.LabourAmount ?? 0, PartsAmount = order.Parts.Sum(p => costs.GetValueOrDefault(p.PartNumber) * p.Quantity),
            PartsSummary = string.Join("\n", order.Parts.Select(p => $"{p.PartNumber} {p.Name} × {p.Quantity}")), Description = r.Description!.Trim(),
            EvidenceAttachmentIds = knownPhotos, EvidenceOldPartIds = knownParts, SubmittedByUserId = user.UserId, SubmittedAt = clock.GetUtcNow(),
        };
        db.Add(claim);
        await db.SaveChangesAsync(ct);
        return await find.One(user, claim.Id, ct);
    }
}
