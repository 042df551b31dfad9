using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Features.Reports.Problems;

/// <summary>
/// <c>productModel</c> and <c>description</c> are required unless <c>workOrderId</c> names the order the problem was found
/// on (its model, line and fault category are then the defaults); <c>branchId</c>: head office raising for a branch;
/// <c>photoAttachmentId</c>: a photo already attached to that order (optional). A technician raises one only about an
/// order of their own (<c>workOrderId</c> required; another's order is a 404).
/// </summary>
public sealed record TechnicalProblemRequest(string? ProductModel, string? ProductLine, string? FaultCategory, string? Description, long? WorkOrderId, int? BranchId,
    long? PhotoAttachmentId = null);

/// <summary>
/// RPT-02 / RPT-09: the after-sales supervisor (or manager) sends a problem found in service to the technical department,
/// with the product model and the fault — or the technician does, from the phone, about one of their orders; the managers
/// (the branch's and head office's) are told in-app, and the technician sees the answer on the phone.
/// </summary>
public sealed class RaiseTechnicalProblem(AppDbContext db, BranchZones zones, FindTechnicalProblems find, TimeProvider clock)
{
    public static readonly string[] Raisers = [Roles.Admin, Roles.Manager, Roles.Supervisor, Roles.Technician];

    public async Task<TechnicalProblemDto> Handle(CurrentUser user, TechnicalProblemRequest r, CancellationToken ct)
    {
        user.RequireAny("raise a problem with the technical department", Raisers);
        var technician = user.IsOnlyTechnician;
        if (technician && r.WorkOrderId is null) throw ValidationFailedException.For("workOrderId", "{0} is required.");
        string? model = r.ProductModel?.Trim(), line = r.ProductLine?.Trim(), fault = r.FaultCategory?.Trim();
        int branch;
        if (r.WorkOrderId is { } orderId)
        {
            // A technician's own orders only (those assigned to them); office staff their branch's (head office any).
            var order = await db.WorkOrders.AsNoTracking()
                .Where(o => o.Id == orderId && (!technician || db.Technicians.Any(t => t.Id == o.TechnicianId && t.UserId == user.UserId)))
                .Select(o => new { o.BranchId, o.ProductModel, o.ProductLine, o.FaultCategory }).FirstOrDefaultAsync(ct);
            branch = (technician ? null : r.BranchId) ?? order?.BranchId ?? 0; // the order's branch unless head office names one
            if (order is null || order.BranchId != branch || (!technician && !user.CanSeeBranch(branch))) throw new NotFoundException("Work order", orderId);
            model = string.IsNullOrEmpty(model) ? order.ProductModel : model;
            line = string.IsNullOrEmpty(line) ? order.ProductLine : line;
            fault = string.IsNullOrEmpty(fault) ? order.FaultCategory : fault;
        }
        else
        {
            branch = r.BranchId ?? user.BranchId;
            if (!user.CanSeeBranch(branch) || !await zones.Exists(branch, ct)) throw new NotFoundException("Branch", branch);
        }
        var v = new Validator();
        v.RequiredText(model, 100, "productModel");
        v.MaxLength(line, 40, "productLine");
        v.MaxLength(fault, 100, "faultCategory");
        v.RequiredText(r.Description, 2000, "description");
        if (r.PhotoAttachmentId is { } photo && (r.WorkOrderId is null
                || !await db.Attachments.AnyAsync(a => a.Id == photo && a.WorkOrderId == r.WorkOrderId, ct))) // every attachment is an image (checked by its content)
            v.Add("photoAttachmentId", "{0} must be a photo attached to the order.");
        v.ThrowIfInvalid();

        var now = clock.GetUtcNow();
        var problem = new TechnicalProblem
        {
            BranchId = branch, ProductModel = model!, ProductLine = string.IsNullOrEmpty(line) ? null : line, FaultCategory = string.IsNullOrEmpty(fault) ? null : fault,
            Description = r.Description!.Trim(), WorkOrderId = r.WorkOrderId, PhotoAttachmentId = r.PhotoAttachmentId, RaisedAt = now, RaisedByUserId = user.UserId,
        };
        db.Add(problem);
        Notify.Queue(db, now, "technicalProblemRaised", branch, r.WorkOrderId, Msg.Of("Problem sent to the technical department: {0}", model!),
            Msg.Of("{0}: {1}. Record the technical department's answer on the Technical problems page.", model!, problem.Description), [], [Roles.Manager]);
        await db.SaveChangesAsync(ct);
        return (await find.Dtos([problem], await zones.For(branch, ct), null, ct))[0];
    }
}
