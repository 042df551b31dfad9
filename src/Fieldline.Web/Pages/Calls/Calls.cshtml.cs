using Fieldline.Web.Features.Calls;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.Calls;

/// <summary>
/// 来电登记 (INT-04/05/10/21): the clerk records every call, letter and visit and what was done with it; below, the
/// register of the branch's day, searchable by the caller's number. The same use cases as POST/GET /api/calls.
/// </summary>
public sealed class CallsModel(RecordCall record, FindCalls find, TimeProvider clock, Features.Identity.BranchZones zones) : ConsolePage
{
    [BindProperty] public string? Kind { get; set; } = "phone";
    [BindProperty] public string? CallerName { get; set; }
    [BindProperty] public string? CallerPhone { get; set; }
    [BindProperty] public string? Summary { get; set; }
    [BindProperty] public string? Outcome { get; set; }
    [BindProperty] public string? ForwardedTo { get; set; }
    [BindProperty] public bool Urgent { get; set; }
    [BindProperty] public string? WorkOrderCode { get; set; }

    [BindProperty(SupportsGet = true)] public DateOnly? Date { get; set; }
    [BindProperty(SupportsGet = true)] public string? Phone { get; set; }

    public Page<CallDto> Register { get; private set; } = new([], 0);

    public bool MayRecord => Me.IsAny(RecordCall.Recorders);

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        CallDto? saved = null;
        if (await Attempt(async () => saved = await record.Handle(Me, new RecordCallRequest(Kind, CallerName, CallerPhone, Summary, Outcome, ForwardedTo, Urgent, WorkOrderCode, null), ct)))
        {
            Flash = T["Call recorded."];
            return Redirect("/calls");
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("read the call register", FindCalls.Readers);
        Date ??= Infrastructure.Http.BranchTime.Today(clock.GetUtcNow(), await zones.For(Me.BranchId, ct));
        try { Register = await find.Handle(Me, new CallQuery(null, Date, Phone, null, 1, 200), ct); }
        catch (ValidationFailedException e)
        {
            foreach (var (field, messages) in e.Rendered()) foreach (var m in messages) ModelState.AddModelError(field, m);
            Register = await find.Handle(Me, new CallQuery(null, Date, null, null, 1, 200), ct);
        }
    }
}
