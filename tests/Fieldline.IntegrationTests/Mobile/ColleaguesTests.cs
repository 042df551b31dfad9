using System.Net;
using Fieldline.IntegrationTests.Infrastructure;

namespace Fieldline.IntegrationTests.Mobile;

[Collection(SqliteCollection.Name)] public sealed class ColleaguesTestsOnSqlite(SqliteFixture app) : ColleaguesTests(app);
[Collection(PostgresCollection.Name)] public sealed class ColleaguesTestsOnPostgres(PostgresFixture app) : ColleaguesTests(app);

/// <summary>申请转单 on the phone (DSP-11) names a colleague: the technician may read who works in the branch, and no more.</summary>
public abstract class ColleaguesTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task A_technician_lists_the_branchs_other_technicians_by_name_only_and_a_transfer_request_to_one_of_them_is_accepted()
    {
        var colleague = await _given.NewTechnician();
        var me = await _given.TechnicianId("tech01");
        var list = (await app.Api("tech01").Get("/api/mobile/colleagues")).Expect(HttpStatusCode.OK).Body.AsArray();

        Assert.DoesNotContain(list, c => c!["id"]!.GetValue<int>() == me);
        var offered = Assert.Single(list, c => c!["id"]!.GetValue<int>() == colleague.TechnicianId)!;
        Assert.Equal("新师傅", offered["name"]!.GetValue<string>());
        Assert.True(offered["onDuty"]!.GetValue<bool>());
        // A name to pick, not the office's profile: no skills, home or pay grade.
        Assert.Equal(["id", "name", "onDuty"], offered.AsObject().Select(p => p.Key).Order().ToArray());

        var id = await _given.OrderIn("accepted", "tech01");
        var asked = (await app.Api("tech01").Post($"/api/work-orders/{id}/transfer-request", new { technicianId = colleague.TechnicianId, reason = "下午另有安装" }))
            .Expect(HttpStatusCode.OK).Body;
        Assert.Equal(me, asked["technicianId"]!.GetValue<int>());
        Assert.Equal("transferRequested", asked["timeline"]!.AsArray().Last()!["action"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_a_technician_reads_the_colleague_list()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await _given.Dispatcher.Get("/api/mobile/colleagues")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _given.Manager.Get("/api/mobile/colleagues")).Status);
    }
}
