using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.People;
using Fieldline.Web.Infrastructure.Data;
using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.Web.Pages.People;

/// <summary>
/// Certificates and trainings (/people/training): each person's certificates with their validity, recorded by HR
/// (SAF-08, SAF-14, TRN-06); trainings scheduled, and their attendance lists ticked after the day — an absence is fined
/// as the policy says (TRN-05). The same use cases as <c>/api/certificates</c> and <c>/api/trainings</c>.
/// </summary>
public sealed class TrainingModel(RecordCertificate certificates, ManageTrainings trainings, AppDbContext db, BranchZones zones, TimeProvider clock) : ConsolePage
{
    public sealed record Person(int Id, string Name);

    public DateOnly Today { get; private set; }
    public IReadOnlyList<Person> People { get; private set; } = [];
    public IReadOnlyList<CertificateDto> Certificates { get; private set; } = [];
    public IReadOnlyList<TrainingDto> Trainings { get; private set; } = [];
    public bool CanRecord => Me.IsAny(RecordCertificate.HrRoles);

    public async Task OnGet(CancellationToken ct) => await Load(ct);

    public async Task<IActionResult> OnPostCertificate(int? technicianId, string? kind, string? number, DateOnly? validFrom, DateOnly? validTo, IFormFile? scan, CancellationToken ct)
    {
        string? data = null;
        if (scan is { Length: > 0 and <= RecordHiring.MaxDocumentBytes })
        {
            using var stream = new MemoryStream();
            await scan.CopyToAsync(stream, ct);
            data = $"data:{scan.ContentType};base64,{Convert.ToBase64String(stream.ToArray())}";
        }
        else if (scan is { Length: > 0 }) data = "data:,"; // too large: refused by the use case, naming the field
        return await After(() => certificates.Handle(Me, new CertificateBody(technicianId, kind, number, validFrom, validTo, data), ct), ct);
    }

    public async Task<IActionResult> OnPostTraining(string? title, string? kind, DateOnly? day, CancellationToken ct) =>
        await After(() => trainings.Create(Me, new TrainingBody(title, kind, day, null), ct), ct);

    public async Task<IActionResult> OnPostAttendance(long id, int[]? invited, int[]? present, CancellationToken ct)
    {
        var came = (present ?? []).ToList();
        return await After(() => trainings.RecordAttendance(Me, id, new TrainingAttendanceBody(came, (invited ?? []).Except(came).ToList()), ct), ct);
    }

    private async Task<IActionResult> After(Func<Task> action, CancellationToken ct)
    {
        if (await Attempt(action))
        {
            Flash = T["Saved."];
            return Redirect("/people/training");
        }
        await Load(ct);
        return Page();
    }

    private async Task Load(CancellationToken ct)
    {
        Me.RequireAny("open the people desk", IndexModel.Viewers);
        Today = BranchTime.Today(clock.GetUtcNow(), await zones.For(Me.BranchId, ct));
        People = await db.Technicians.AsNoTracking().Where(t => t.User!.IsActive && (Me.IsHeadOffice || t.BranchId == Me.BranchId))
            .OrderBy(t => t.BranchId).ThenBy(t => t.Id).Take(500).Select(t => new Person(t.Id, t.User!.DisplayName)).ToListAsync(ct);
        Certificates = (await certificates.List(Me, null, 1, 200, ct)).Items;
        Trainings = (await trainings.List(Me, null, null, 1, 50, ct)).Items;
    }
}
