using Fieldline.Web.Features.Complaints;
using Fieldline.Web.Features.WorkOrders;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.Complaints;

/// <summary>
/// The complaint desk (CPL): register a complaint by phone or order code, see it routed, verify, reject or resolve it.
/// The late-contact fines it triggers are proposed and decided by the complaint use cases, exactly as through the API.
/// </summary>
public sealed class IndexModel(FindComplaints find, RegisterComplaint register, VerifyComplaint verify, RejectComplaint reject,
    ResolveComplaint resolve, AppDbContext db) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public string Status { get; set; } = "open";

    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? OrderCode { get; set; }
    [BindProperty] public string Type { get; set; } = "lateContact";
    [BindProperty] public string Level { get; set; } = "company";
    [BindProperty] public string? Description { get; set; }
    [BindProperty] public bool Angry { get; set; }
    [BindProperty] public bool Major { get; set; }

    public Page<ComplaintSummaryDto> Items { get; private set; } = new([], 0);
    public Dictionary<long, string> Codes { get; private set; } = [];
    public bool CanHandle => Me.IsAny(ComplaintAccess.Handlers);
    public bool CanRegister => Me.IsAny(ComplaintAccess.Registrars);

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPostRegister(CancellationToken ct)
    {
        ComplaintDto? created = null;
        if (await Attempt(async () =>
            {
                long? orderId = null;
                if (!string.IsNullOrWhiteSpace(OrderCode))
                {
                    var code = OrderCode.Trim();
                    orderId = await db.WorkOrders.Where(o => o.Code == code).Select(o => (long?)o.Id).FirstOrDefaultAsync(ct)
                        ?? throw ValidationFailedException.For("workOrderId", $"No work order '{code}'.");
                }
                created = await register.Handle(Me, new RegisterComplaintRequest(Type, Level, "hotline", Description, null,
                    string.IsNullOrWhiteSpace(Phone) ? null : Phone, null, orderId, null, Major, Angry, null, null), ct);
            }))
        {
            Flash = T.Say($"投诉 #{created!.Id} 已登记,转{created.RoutedTo ?? created.OwnerRole}", $"Complaint #{created!.Id} registered, routed to {created.RoutedTo ?? created.OwnerRole}");
            return Redirect("/complaints");
        }
        await Load(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostDecide(long id, string decision, string? note, bool customerNotified, int? version, CancellationToken ct)
    {
        if (await Attempt(() => decision switch
            {
                "verify" => verify.Handle(Me, id, new VerifyComplaintRequest(note, null, version), null, ct),
                "reject" => reject.Handle(Me, id, new RejectComplaintRequest(note, version), null, ct),
                _ => resolve.Handle(Me, id, new ResolveComplaintRequest(note, customerNotified, version), null, ct),
            }))
        {
            Flash = T["Saved."];
            return Redirect($"/complaints?status={Status}");
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Items = await find.List(Me, new ComplaintQuery(string.IsNullOrEmpty(Status) ? null : Status, null, null, null, null, null, null, 1, 100), ct);
        var ids = Items.Items.Where(c => c.WorkOrderId is not null).Select(c => c.WorkOrderId!.Value).ToList();
        Codes = await db.WorkOrders.AsNoTracking().Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Code, ct);
    }
}
