using Fieldline.Web.Features.People;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Web.Pages.People;

/// <summary>The attendance sheet (/attendance): a week of the branch, person by person, with arrivals, lates and absenteeism.</summary>
public sealed class AttendanceModel(ShowAttendanceSheet sheets) : ConsolePage
{
    [BindProperty(SupportsGet = true)] public DateOnly? From { get; set; }
    [BindProperty(SupportsGet = true)] public DateOnly? To { get; set; }

    public AttendanceSheetDto? Sheet { get; private set; }

    public async Task OnGet(CancellationToken ct)
    {
        Me.RequireAny("read the attendance sheet", ShowAttendanceSheet.Readers);
        if (!await Attempt(async () => Sheet = await sheets.Handle(Me, null, From, To, ct))) Sheet = await sheets.Handle(Me, null, null, null, ct);
    }

    public static string Css(string status) => status switch
    {
        "present" => "ok", "late" or "absent" or "pending" => "warn", "absenteeism" => "bad", _ => "",
    };
}
