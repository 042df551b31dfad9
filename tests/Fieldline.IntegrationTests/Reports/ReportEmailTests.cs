using System.Net;
using System.Text;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Identity;
using Fieldline.Web.Features.Notifications;
using Fieldline.Web.Features.Reports.Archive;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Fieldline.IntegrationTests.Reports;

[Collection(SqliteCollection.Name)] public sealed class ReportEmailTestsOnSqlite(SqliteFixture app) : ReportEmailTests(app);
[Collection(PostgresCollection.Name)] public sealed class ReportEmailTestsOnPostgres(PostgresFixture app) : ReportEmailTests(app);

/// <summary>
/// Issue 19: an archived report is sent to its addressees by e-mail, with its PDF and workbook attached, when an SMTP server
/// is configured (Fieldline:Smtp) — through the outbox's e-mail channel and MailKit, against a real (tiny, in-process) SMTP
/// server; RPT-01's service-record book also to the technical department's address. Without SMTP: in-app only.
/// </summary>
public abstract class ReportEmailTests(AppFixture app)
{
    private async Task<(int Branch, string ManagerEmail)> BranchWithManagerEmail()
    {
        var admin = app.Api("admin");
        var hq = (await admin.Get("/api/me")).Body["branchId"]!.GetValue<int>();
        var branch = (int)(await admin.Post("/api/branches", new { name = $"邮件{Guid.NewGuid():N}"[..10], parentId = hq, timeZone = "Asia/Shanghai" })).Expect(HttpStatusCode.Created).Id;
        var name = $"m{Guid.NewGuid():N}"[..12];
        var created = (await admin.Post("/api/users", new { username = name, displayName = "邮件经理", password = AppFixture.Password, roles = new[] { Roles.Manager }, branchId = branch }))
            .Expect(HttpStatusCode.Created).Body;
        var id = created["id"]!.GetValue<int>();
        var version = created["version"]!.GetValue<int>();
        var email = $"{name}@example.com";
        Assert.Contains("email", (await admin.Patch($"/api/users/{id}", new { email = "不是地址", version })).Expect(HttpStatusCode.BadRequest).ErrorFields);
        var updated = (await admin.Patch($"/api/users/{id}", new { email, version })).Expect(HttpStatusCode.OK).Body;
        Assert.Equal(email, updated["email"]!.GetValue<string>());
        return (branch, email);
    }

    private async Task<ReportDocument> Build(ReportKind kind, int branch, DateOnly from)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BuildReport>().Build(kind, branch, from, null, default);
    }

    [Fact]
    public async Task With_SMTP_configured_an_archived_report_is_e_mailed_in_Chinese_with_its_PDF_and_Excel_to_each_addressee_with_an_address_and_the_record_book_to_the_technical_department()
    {
        var (branch, managerEmail) = await BranchWithManagerEmail();
        var techDept = $"tech-{Guid.NewGuid():N}"[..13] + "@example.com";
        await using var server = new TinySmtpServer();
        var smtp = app.Factory.Services.GetRequiredService<SmtpOptions>();
        (smtp.Host, smtp.Port, smtp.Security, smtp.TechnicalDepartment, smtp.From) = ("127.0.0.1", server.Port, "none", techDept, "fieldline@example.com");
        try
        {
            var doc = await Build(ReportKind.ServiceRecordBook, branch, new DateOnly(2025, 3, 1));
            await app.Tick(); // the outbox fans out and delivers
            var mails = server.Received.Where(m => m.To.Contains(managerEmail) || m.To.Contains(techDept)).ToList();
            Assert.Equal(2, mails.Count);
            foreach (var to in new[] { managerEmail, techDept })
            {
                var mail = mails.Single(m => m.To.SequenceEqual([to]));
                Assert.Equal("fieldline@example.com", mail.From);
                var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(mail.Data)));
                Assert.Contains("服务记录册 2025-03", message.Subject);
                var attachments = message.Attachments.OfType<MimePart>().ToList();
                Assert.Equal([RenderReportDocument.FileName(doc, "pdf"), RenderReportDocument.FileName(doc, "xlsx")], attachments.Select(a => a.FileName ?? "").ToArray());
                using var pdf = new MemoryStream();
                await attachments[0].Content!.DecodeToAsync(pdf);
                Assert.StartsWith("%PDF", Encoding.ASCII.GetString(pdf.ToArray(), 0, 4));
                using var xlsx = new MemoryStream();
                await attachments[1].Content!.DecodeToAsync(xlsx);
                xlsx.Position = 0;
                var rows = Fieldline.Web.Features.Parts.XlsxSheet.Read(xlsx)!.Values.ToList();
                Assert.Contains(rows, r => r.Values.Any(v => v.Contains("服务记录册 2025-03", StringComparison.Ordinal)));
            }
            var deliveries = await app.Db(db => db.OutboxDeliveries.AsNoTracking().Where(d => d.Channel == DeliveryChannel.Email)
                .Join(db.Outbox.Where(m => m.ReportDocumentId == doc.Id), d => d.OutboxId, m => m.Id, (d, m) => d.State).ToListAsync());
            Assert.Equal([DeliveryState.Delivered, DeliveryState.Delivered], deliveries);

            // Another tick sends nothing again.
            await app.Tick();
            Assert.Equal(2, server.Received.Count(m => m.To.Contains(managerEmail) || m.To.Contains(techDept)));
        }
        finally { (smtp.Host, smtp.TechnicalDepartment) = (null, null); }
    }

    [Fact]
    public async Task Without_SMTP_a_built_report_is_announced_in_app_only()
    {
        var (branch, _) = await BranchWithManagerEmail();
        Assert.False(app.Factory.Services.GetRequiredService<SmtpOptions>().Enabled);
        var doc = await Build(ReportKind.Monthly, branch, new DateOnly(2025, 3, 1));
        await app.Tick();
        var channels = await app.Db(db => db.OutboxDeliveries.AsNoTracking()
            .Join(db.Outbox.Where(m => m.ReportDocumentId == doc.Id), d => d.OutboxId, m => m.Id, (d, m) => d.Channel).ToListAsync());
        Assert.Equal([DeliveryChannel.InApp, DeliveryChannel.Live], channels.Order().ToArray());
    }
}
