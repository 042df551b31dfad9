using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Trips;

[Collection(SqliteCollection.Name)] public sealed class TripFormTestsOnSqlite(SqliteFixture app) : TripFormTests(app);
[Collection(PostgresCollection.Name)] public sealed class TripFormTestsOnPostgres(PostgresFixture app) : TripFormTests(app);

/// <summary>
/// h4 F6: the console's standard — errors stand next to their fields and nothing typed is lost — on the two trip forms:
/// 派出差 (a mistyped order number said "工单 -1 不存在。" beside the button and emptied the form) and 审阅出差报告.
/// </summary>
public abstract class TripFormTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task A_mistyped_order_number_on_the_send_form_is_named_as_typed_beside_its_field_and_everything_typed_stays()
    {
        var who = await _given.NewTechnician();
        var dispatcher = await ConsoleSession.SignIn(app, "dispatcher");
        await dispatcher.Get("/trips");
        var page = await dispatcher.Post("/trips?handler=Send", new Dictionary<string, string>
        {
            ["technicianId"] = who.TechnicianId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["destination"] = "株洲",
            ["purpose"] = "空调批量安装支援", ["orderCode"] = " WO-XYZ ",
        });
        Assert.Contains("<span class=\"error\" id=\"trip-order-error\">工单号 WO-XYZ 不存在。</span>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("-1", page.Split("id=\"send-trip\"")[1].Split("</form>")[0], StringComparison.Ordinal);
        Assert.Matches($"<option value=\"{who.TechnicianId}\" selected=\"selected\"", page);
        Assert.Contains("id=\"trip-destination\" maxlength=\"200\" required value=\"株洲\"", page, StringComparison.Ordinal);
        Assert.Contains(">空调批量安装支援</textarea>", page, StringComparison.Ordinal);
        Assert.Contains("value=\" WO-XYZ \"", page, StringComparison.Ordinal);
        Assert.Equal(0, await app.Db(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.ServiceTrips, t => t.TechnicianId == who.TechnicianId)));
    }

    [Fact]
    public async Task A_refused_trip_review_comes_back_with_the_tick_the_reward_the_rest_and_the_note_as_they_were_sent()
    {
        var who = await _given.NewTechnician();
        var trip = (await app.Api("supervisor").Post("/api/trips", new { technicianId = who.TechnicianId, destination = "湘潭", purpose = "电控柜现场调试" }))
            .Expect(HttpStatusCode.Created).Id;
        var tech = app.Api(who.User);
        (await tech.Post($"/api/trips/{trip}/arrival", new { progress = "进度正常" })).Expect(HttpStatusCode.OK);
        var log = (await tech.Post($"/api/trips/{trip}/log", new { work = "接线", suggestion = "线号管提前打印" })).Expect(HttpStatusCode.OK).Body["logs"]![0]!["id"]!.GetValue<long>();
        (await tech.Post($"/api/trips/{trip}/return", new { report = "完成" })).Expect(HttpStatusCode.OK);

        var supervisor = await ConsoleSession.SignIn(app, "supervisor");
        await supervisor.Get($"/trips/{trip}");
        var page = await supervisor.Post($"/trips/{trip}?handler=Review", new Dictionary<string, string>
        {
            ["adopt"] = log.ToString(System.Globalization.CultureInfo.InvariantCulture), [$"reward-{log}"] = "-5",
            ["restDays"] = "1", ["restFrom"] = "2026-12-08", ["note"] = "辛苦了",
        });
        Assert.Contains("奖励金额", page, StringComparison.Ordinal); // the refusal, in Chinese
        Assert.Contains($"id=\"adopt-{log}\" checked=\"checked\"", page, StringComparison.Ordinal);
        Assert.Contains($"id=\"reward-{log}\" inputmode=\"decimal\" size=\"6\" value=\"-5\"", page, StringComparison.Ordinal);
        Assert.Matches("id=\"rest-days\"[^>]*value=\"1\"", page);
        Assert.Contains("id=\"rest-from\" value=\"2026-12-08\"", page, StringComparison.Ordinal);
        Assert.Contains("id=\"review-note\" maxlength=\"500\" value=\"辛苦了\"", page, StringComparison.Ordinal);
        Assert.Equal("returned", (await app.Api("supervisor").Get($"/api/trips/{trip}")).Expect(HttpStatusCode.OK).Body["status"]!.GetValue<string>());
    }
}
