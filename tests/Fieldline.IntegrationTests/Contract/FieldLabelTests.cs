using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Contract;

[Collection(SqliteCollection.Name)] public sealed class FieldLabelTestsOnSqlite(SqliteFixture app) : FieldLabelTests(app);
[Collection(PostgresCollection.Name)] public sealed class FieldLabelTestsOnPostgres(PostgresFixture app) : FieldLabelTests(app);

/// <summary>
/// A refusal names the bad field by the label of its own request: <c>present</c> is the people at a training (出席人员) and
/// the tools found at a kit check (在位的工具); a complaint's <c>type</c> is the complaint's, not the order's service type;
/// a contact's and a return visit's <c>outcome</c> are what came of that call.
/// </summary>
public abstract class FieldLabelTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static string Detail(Reply refused) => refused.Expect(HttpStatusCode.BadRequest).Body["detail"]!.GetValue<string>();

    [Fact]
    public async Task A_training_attendance_names_its_people_present_as_attendees_and_a_kit_check_its_tools_present()
    {
        var training = (await app.Api("supervisor").Post("/api/trainings", new { title = "今日培训", kind = "company", day = app.LocalNow.ToString("yyyy-MM-dd") })).Expect(HttpStatusCode.Created).Id;
        const int nobody = 999_999;
        Assert.Equal("以下内容有误：出席人员。", Detail(await app.Api("supervisor").Post($"/api/trainings/{training}/attendance", new { present = new[] { nobody }, absent = Array.Empty<int>() })));
        Assert.Equal("以下内容有误：缺席人员。", Detail(await app.Api("supervisor").Post($"/api/trainings/{training}/attendance", new { present = Array.Empty<int>(), absent = new[] { nobody } })));
        Assert.Equal("One or more fields are invalid: Attendees.", Detail(await app.Api("supervisor").InLanguage("en").Post($"/api/trainings/{training}/attendance", new { present = new[] { nobody } })));

        var tech = await _given.TechnicianId("tech02");
        var kit = await app.Api("supervisor").Post("/api/tool-checks", new { technicianId = tech, missing = Array.Empty<string>(), present = new[] { "teleporter" } });
        Assert.Equal("以下内容有误：在位的工具。", Detail(kit));
        Assert.StartsWith("在位的工具", kit.Body["errors"]!["present"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_complaint_type_a_contact_outcome_and_a_return_visit_outcome_are_named_for_what_they_are()
    {
        var complaint = await app.Api("complaints").Post("/api/complaints", new { type = "rude", channel = "hotline", description = "态度差" });
        Assert.StartsWith("投诉类型的取值“rude”无效", complaint.Expect(HttpStatusCode.BadRequest).Body["errors"]!["type"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var accepted = await _given.OrderIn("accepted");
        var contact = await app.Api("tech01").Post($"/api/work-orders/{accepted}/contact", new { outcome = "busy" });
        Assert.Equal("联系结果的取值“busy”无效，可选：reached（已联系上）、unreachable（联系不上）。", contact.Expect(HttpStatusCode.BadRequest).Body["errors"]!["outcome"]![0]!.GetValue<string>());

        var completed = await _given.OrderIn("completed");
        var visit = await app.Api("visitor").Post($"/api/work-orders/{completed}/return-visit", new { outcome = "busy" });
        Assert.Equal("回访结果的取值“busy”无效，可选：reached（已联系上）、unreachable（联系不上）、refused（拒访）。", visit.Expect(HttpStatusCode.BadRequest).Body["errors"]!["outcome"]![0]!.GetValue<string>());
    }
}
