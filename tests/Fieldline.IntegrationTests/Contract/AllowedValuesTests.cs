using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Contract;

[Collection(SqliteCollection.Name)] public sealed class AllowedValuesTestsOnSqlite(SqliteFixture app) : AllowedValuesTests(app);
[Collection(PostgresCollection.Name)] public sealed class AllowedValuesTestsOnPostgres(PostgresFixture app) : AllowedValuesTests(app);

/// <summary>
/// A coded field's refusal lists what may be sent as code and name — phone（来电）— so that an outside script learns the
/// code and a person what it means; the name itself, sent instead of the code, is refused with the code it stands for.
/// The same for every kind of coded field: an enum, a fixed list, a list of the policy.
/// </summary>
public abstract class AllowedValuesTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static string Error(Reply refused, string field) => refused.Expect(HttpStatusCode.BadRequest).Body["errors"]![field]![0]!.GetValue<string>();

    [Fact]
    public async Task A_call_register_kind_sent_as_its_Chinese_name_is_refused_naming_each_code_with_its_name()
    {
        var refused = await _given.Clerk.Post("/api/calls", new { kind = "来电", callerName = "x", callerPhone = Given.Phone(), summary = "s", outcome = "open" });
        Assert.Equal("类别的取值“来电”无效，可选：phone（来电）、letter（来信）、visit（来访）。", Error(refused, "kind"));
        var english = await _given.Clerk.InLanguage("en").Post("/api/calls", new { kind = "来电", callerName = "x", callerPhone = Given.Phone(), summary = "s", outcome = "open" });
        Assert.EndsWith("phone, letter, visit.", Error(english, "kind"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_training_kind_a_part_warranty_class_and_a_leaving_reason_list_their_codes_with_names()
    {
        var training = await app.Api("supervisor").Post("/api/trainings", new { title = "安全培训", kind = "safety", day = "2026-12-06" });
        Assert.Contains("company（公司培训）、manufacturer（厂家培训）", Error(training, "kind"), StringComparison.Ordinal);

        var part = await app.Api("warehouse").Post("/api/parts", new { partNumber = $"P-{Guid.NewGuid():N}"[..12], name = "电容", warrantyClass = "inWarranty", unitCost = 5, listPrice = 30 });
        Assert.Contains("covered（保内）、consumable（耗材）", Error(part, "warrantyClass"), StringComparison.Ordinal);

        var tech = await _given.NewTechnician();
        var leaving = await _given.Manager.Post($"/api/technicians/{tech.TechnicianId}/offboarding", new { lastDay = app.LocalNow.ToString("yyyy-MM-dd"), reason = "辞职", commissionPending = 0 });
        Assert.Equal("原因的取值“辞职”无效，可选：resigned（辞职）、dismissed（辞退）。", Error(leaving, "reason"));
    }
}
