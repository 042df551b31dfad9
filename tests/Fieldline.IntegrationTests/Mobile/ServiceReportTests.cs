using System.Diagnostics;
using System.Net;
using Fieldline.IntegrationTests.Infrastructure;
using Fieldline.Web.Features.Mobile;
using Fieldline.Web.Infrastructure.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fieldline.IntegrationTests.Mobile;

[Collection(SqliteCollection.Name)] public sealed class ServiceReportTestsOnSqlite(SqliteFixture app) : ServiceReportTests(app);
[Collection(PostgresCollection.Name)] public sealed class ServiceReportTestsOnPostgres(PostgresFixture app) : ServiceReportTests(app);

/// <summary>The service report PDF (ONS-20 on screen) and the customer's signed link to it.</summary>
public abstract class ServiceReportTests(AppFixture app)
{
    private readonly Given _given = new(app);

    private static async Task<string> PdfText(byte[] pdf)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(file, pdf);
            using var process = Process.Start(new ProcessStartInfo("pdftotext", ["-enc", "UTF-8", file, "-"]) { RedirectStandardOutput = true })!;
            var text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Equal(0, process.ExitCode);
            return text;
        }
        finally { File.Delete(file); }
    }

    /// <summary>GET as <paramref name="user"/> without reading the answer as JSON (it is a PDF).</summary>
    private async Task<HttpResponseMessage> Download(string user, string path)
    {
        var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await app.Token(client, user));
        return await client.GetAsync(path);
    }

    private async Task<(long Id, string Code)> CompletedOrder()
    {
        var id = await _given.OrderIn("completed");
        return (id, (await _given.Manager.Get($"/api/work-orders/{id}")).Str("code")!);
    }

    [Fact]
    public async Task The_service_report_is_a_pdf_with_the_order_code_the_work_done_and_chinese_text()
    {
        var (id, code) = await CompletedOrder();
        using var reply = await Download("tech01", $"/api/work-orders/{id}/report.pdf");
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Equal("application/pdf", reply.Content.Headers.ContentType?.MediaType);

        var text = await PdfText(await reply.Content.ReadAsByteArrayAsync());
        Assert.Contains(code, text);
        Assert.Contains("售后服务报告", text);
        Assert.Contains("更换电容", text);
        Assert.Contains("GR123456", text);
        Assert.Contains("CAP-35", text);
    }

    [Fact]
    public async Task The_report_opens_in_the_browser_names_the_company_product_and_invoice_and_speaks_the_staff_language()
    {
        var (id, code) = await CompletedOrder();
        using var reply = await Download("tech01", $"/api/work-orders/{id}/report.pdf");
        Assert.Equal("inline", reply.Content.Headers.ContentDisposition?.DispositionType);
        var text = await PdfText(await reply.Content.ReadAsByteArrayAsync());
        Assert.Contains("Fieldline 总部", text);
        Assert.Contains("空调", text);
        Assert.Contains("格力", text);
        Assert.Contains("KFR-35GW", text);
        Assert.Contains("43001234", text);
        Assert.Contains("服务热线", text);
        Assert.DoesNotContain("ac ", text);

        var client = app.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await app.Token(client, "manager"));
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        var english = await PdfText(await client.GetByteArrayAsync($"/api/work-orders/{id}/report.pdf"));
        Assert.Contains($"After-sales service report {code}", english);
        Assert.Contains("Invoice no.", english);
        Assert.DoesNotContain("售后服务报告", english);
    }

    [Fact]
    public async Task Office_staff_read_the_report_but_another_technician_is_told_it_does_not_exist()
    {
        var (id, _) = await CompletedOrder();
        Assert.Equal(HttpStatusCode.OK, (await Download("manager", $"/api/work-orders/{id}/report.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Download("tech02", $"/api/work-orders/{id}/report.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Api("tech02").Get($"/api/work-orders/{id}/report-link")).Status);
    }

    [Fact]
    public async Task The_customer_link_opens_the_report_without_a_login_and_a_tampered_or_expired_link_is_refused()
    {
        var (id, code) = await CompletedOrder();
        var link = (await app.Api("tech01").Get($"/api/work-orders/{id}/report-link")).Expect(HttpStatusCode.OK).Body;
        var url = link["url"]!.GetValue<string>();
        using var anonymous = app.Factory.CreateClient();

        var ok = await anonymous.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains(code, await PdfText(await ok.Content.ReadAsByteArrayAsync()));

        var other = await _given.OrderIn("completed");
        var signature = url[(url.IndexOf("&s=", StringComparison.Ordinal) + 3)..];
        var tampered = url[..^1] + (url[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(tampered)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(url.Replace($"/r/{id}?", $"/r/{other}?", StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(url.Replace("e=", "e=9", StringComparison.Ordinal))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/r/{id}")).StatusCode);
        Assert.NotEmpty(signature);

        // A link signed with the right key that ran out yesterday (made by a clock 31 days behind the server's).
        var past = new FakeTimeProvider(app.Clock.GetUtcNow().AddDays(-31));
        var (expiredUrl, _) = new ReportLinks(app.Factory.Services.GetRequiredService<TokenKeys>(), past, new MobileOptions()).Create(id);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(expiredUrl)).StatusCode);
    }

    [Fact]
    public async Task A_photo_the_pdf_library_cannot_read_shows_as_unreadable_and_the_report_and_its_link_still_open()
    {
        var id = await _given.OrderIn("inProgress");
        // A PNG signature and a sound IHDR header followed by garbage: it passes the content check (which reads the header),
        // but no decoder can read the picture.
        var broken = Given.TinyPng[..33].Concat(Enumerable.Repeat((byte)0xAB, 300)).ToArray();
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(broken);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "photo.png");
        form.Add(new StringContent("photo"), "kind");
        (await app.Api("tech01").Send(HttpMethod.Post, $"/api/work-orders/{id}/attachments", null, content: form)).Expect(HttpStatusCode.Created);
        (await app.Api("tech01").Post($"/api/work-orders/{id}/complete", Given.CompleteBody())).Expect(HttpStatusCode.OK);

        using var reply = await Download("tech01", $"/api/work-orders/{id}/report.pdf");
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.Contains("图片无法读取", await PdfText(await reply.Content.ReadAsByteArrayAsync()));
        var url = (await app.Api("tech01").Get($"/api/work-orders/{id}/report-link")).Expect(HttpStatusCode.OK).Str("url")!;
        using var customer = await app.Factory.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, customer.StatusCode);
    }

    [Fact]
    public async Task No_customer_link_is_made_for_an_order_that_is_not_finished()
    {
        var id = await _given.OrderIn("inProgress");
        Assert.Equal(HttpStatusCode.Conflict, (await app.Api("tech01").Get($"/api/work-orders/{id}/report-link")).Status);
    }
}
