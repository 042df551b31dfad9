using System.Net;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Notifications;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Fieldline.IntegrationTests.Console;

[Collection(SqliteCollection.Name)] public sealed class DeliveriesPageTestsOnSqlite(SqliteFixture app) : DeliveriesPageTests(app);
[Collection(PostgresCollection.Name)] public sealed class DeliveriesPageTestsOnPostgres(PostgresFixture app) : DeliveriesPageTests(app);

public abstract partial class DeliveriesPageTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private async Task<(HttpClient Http, string Token)> SignIn(string user)
    {
        var http = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await http.GetStringAsync("/login")).Groups[1].Value;
        var login = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = user, ["Password"] = AppFixture.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return (http, TokenField().Match(await http.GetStringAsync("/orders")).Groups[1].Value);
    }

    [Fact]
    public async Task An_admin_sees_dead_deliveries_on_the_console_and_sends_one_again_while_a_manager_may_not()
    {
        var order = await _given.OrderIn("dispatched");
        var deliveryId = await app.Db(async db =>
        {
            var message = await db.Outbox.Where(m => m.WorkOrderId == order && m.Kind == "dispatchOrder").SingleAsync();
            var dead = new OutboxDelivery { OutboxId = message.Id, Channel = DeliveryChannel.Sms, UserId = -1, State = DeliveryState.Dead, Attempts = 8, NextAttemptAt = app.Clock.GetUtcNow(), LastError = "gateway refused" };
            db.OutboxDeliveries.Add(dead);
            await db.SaveChangesAsync();
            return dead.Id;
        });

        var admin = await SignIn("admin");
        var page = await admin.Http.GetStringAsync("/manage/deliveries");
        Assert.Contains($"id=\"delivery-{deliveryId}\"", page, StringComparison.Ordinal);
        Assert.Contains("投递失败", page, StringComparison.Ordinal);
        Assert.Contains("短信", page, StringComparison.Ordinal);
        var retry = await admin.Http.PostAsync("/manage/deliveries?handler=Retry", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = deliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["__RequestVerificationToken"] = admin.Token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        Assert.Equal(DeliveryState.Pending, await app.Db(db => db.OutboxDeliveries.Where(d => d.Id == deliveryId).Select(d => d.State).SingleAsync()));

        var manager = await SignIn("manager");
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.Http.GetAsync("/manage/deliveries")).StatusCode);
        await app.Db(db => db.OutboxDeliveries.Where(d => d.Id == deliveryId).ExecuteDeleteAsync()); // no phantom SMS for later tests
    }
}
