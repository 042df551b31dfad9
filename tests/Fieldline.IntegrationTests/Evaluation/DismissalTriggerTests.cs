using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Fieldline.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fieldline.IntegrationTests.Evaluation;

[Collection(SqliteCollection.Name)] public sealed class DismissalTriggerTestsOnSqlite(SqliteFixture app) : DismissalTriggerTests(app);
[Collection(PostgresCollection.Name)] public sealed class DismissalTriggerTestsOnPostgres(PostgresFixture app) : DismissalTriggerTests(app);

/// <summary>
/// regulations.md §25 (DSM): dismissal is never automatic. Every trigger the system can see opens a dismissal (or
/// expulsion) review for a manager through the one mechanism — the rule's or its ladder step's review action, applied by
/// the penalty-case factory — naming the DSM id beside the fine's ids, with the case's evidence, the reason in Chinese,
/// and the fine left proposed for the manager to decide with the review. Elsewhere: DSM-15 (AttendanceTests SC31),
/// DSM-17 through a verified complaint (ComplaintHandlingTests).
/// </summary>
public abstract partial class DismissalTriggerTests(AppFixture app)
{
    private readonly Given _given = new(app);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    /// <summary>A console page as <paramref name="user"/> reads it in Chinese, with the client and the page's antiforgery token to post its forms.</summary>
    private async Task<(HttpClient Http, string Html, string Token)> ConsolePage(string user, string url)
    {
        var http = app.Factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var token = TokenField().Match(await http.GetStringAsync("/login")).Groups[1].Value;
        var login = await http.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = user, ["Password"] = AppFixture.Password, ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        http.DefaultRequestHeaders.Add("Cookie", "fieldline.lang=c%3Dzh-CN%7Cuic%3Dzh-CN");
        var html = await http.GetStringAsync(url);
        return (http, html, TokenField().Match(html).Groups[1].Value);
    }

    private async Task Policy(string preset) => (await _given.Manager.Put("/api/policy", new { basedOn = preset })).Expect(HttpStatusCode.OK);

    /// <summary>A new technician of the manager's branch: an installer, a repair technician, or both (so neither's rule overrides the general one).</summary>
    private async Task<int> Staff(string kind)
    {
        var name = $"d{Guid.NewGuid():N}"[..12];
        var branchId = (await _given.Manager.Get("/api/technicians?pageSize=1")).Body["items"]![0]!["branchId"]!.GetValue<int>();
        var id = (await app.Api("admin").Post("/api/users", new { username = name, displayName = "辞退" + name[1..5], password = AppFixture.Password, roles = new[] { "technician" }, branchId }))
            .Expect(HttpStatusCode.Created).Body["id"]!.GetValue<int>();
        string[] skills = kind switch { "installer" => ["ac.install"], "repair" => ["ac.repair"], _ => ["ac.install", "ac.repair"] };
        (await _given.Manager.Post("/api/technicians", new { userId = id, skills, onDuty = true, alreadyEmployed = true })).Expect(HttpStatusCode.Created);
        return id;
    }

    private async Task<JsonNode> Violation(object body, string by = "supervisor") =>
        Assert.Single((await app.Api(by).Post("/api/violations", body)).Expect(HttpStatusCode.OK).Body["cases"]!.AsArray())!;

    private async Task<JsonNode?> ReviewOf(JsonNode penalty) =>
        (await _given.Manager.Get("/api/dismissal-reviews?state=open")).Expect(HttpStatusCode.OK).Body.AsArray()
            .SingleOrDefault(r => r!["penaltyCaseId"]?.GetValue<long>() == penalty["id"]!.GetValue<long>());

    /// <summary>
    /// The case opened a review naming <paramref name="dsm"/> and <paramref name="ruleId"/>, for the person, with the case's
    /// evidence and a Chinese reason that starts with the trigger; the fine waits for the manager with the review.
    /// </summary>
    private async Task AssertReview(JsonNode penalty, int person, string dsm, string ruleId, string zh, decimal amount, string sanction = "辞退审核")
    {
        Assert.Equal((ruleId, amount, "proposed"), (penalty["ruleId"]!.GetValue<string>(), penalty["amount"]!.GetValue<decimal>(), penalty["state"]!.GetValue<string>()));
        var review = await ReviewOf(penalty);
        Assert.NotNull(review);
        Assert.Equal((person, "open"), (review!["personUserId"]!.GetValue<int>(), review["state"]!.GetValue<string>()));
        var ids = review["ruleIds"]!.GetValue<string>().Split(',');
        Assert.Contains(dsm, ids);
        Assert.Contains(ruleId, ids);
        var reason = review["reason"]!.GetValue<string>();
        Assert.StartsWith($"{dsm} {zh}", reason);
        Assert.Contains(ruleId, reason);
        Assert.Contains(sanction, reason);
        Assert.Equal(penalty["evidence"]!.ToJsonString(), review["evidence"]!.ToJsonString());
    }

    /// <summary>No review for this case (a rung of the ladder below dismissal).</summary>
    private async Task AssertNoReview(JsonNode penalty) => Assert.Null(await ReviewOf(penalty));

    [Fact]
    public async Task DSM01_a_second_disobedience_of_the_dispatcher_after_the_100_fine_opens_a_dismissal_review()
    {
        await Policy("generic");
        var person = await Staff("both");
        var first = await Violation(new { ruleId = "PEN-01", personUserId = person, evidence = new { text = "不服从调度安排" } });
        Assert.Equal(("PEN-01", 100m, "confirmed"), (first["ruleId"]!.GetValue<string>(), first["amount"]!.GetValue<decimal>(), first["state"]!.GetValue<string>()));
        await AssertNoReview(first);
        var again = await Violation(new { ruleId = "PEN-01", personUserId = person, evidence = new { text = "再次不服从调度,屡教不改" } });
        await AssertReview(again, person, "DSM-01", "PEN-01", "屡次不服从调度", 0m);
    }

    [Fact]
    public async Task DSM02_a_second_refusal_of_an_assignment_after_the_suspension_opens_a_dismissal_review()
    {
        await Policy("generic");
        var person = await Staff("both");
        var first = await Violation(new { ruleId = "PEN-48", personUserId = person, evidence = new { text = "拒绝派工" } });
        await AssertNoReview(first);
        var second = await Violation(new { ruleId = "PEN-48", personUserId = person, evidence = new { text = "停工后再次拒绝派工" } });
        await AssertReview(second, person, "DSM-02", "PEN-48", "第二次拒绝派工", 0m);
    }

    [Fact]
    public async Task DSM03_an_installers_third_refusal_of_an_assignment_opens_a_dismissal_review_the_first_two_do_not()
    {
        await Policy("gree-dealer-changsha-2012");
        var installer = await Staff("installer");
        var first = await Violation(new { ruleId = "PEN-48", personUserId = installer });
        Assert.Equal(("PEN-61", 100m), (first["ruleId"]!.GetValue<string>(), first["amount"]!.GetValue<decimal>()));
        await AssertNoReview(first);
        await AssertNoReview(await Violation(new { ruleId = "PEN-61", personUserId = installer }));
        var third = await Violation(new { ruleId = "PEN-61", personUserId = installer, evidence = new { text = "第三次拒绝派工" } });
        await AssertReview(third, installer, "DSM-03", "PEN-61", "安装工第三次拒绝派工", 0m);
        await Policy("generic");
    }

    [Fact]
    public async Task DSM04_a_repair_technicians_repeated_disobedience_opens_a_dismissal_review_with_a_proposed_500_fine()
    {
        await Policy("gree-dealer-changsha-2012");
        var repairer = await Staff("repair");
        var first = await Violation(new { ruleId = "PEN-01", personUserId = repairer });
        Assert.Equal(("PEN-79", 100m), (first["ruleId"]!.GetValue<string>(), first["amount"]!.GetValue<decimal>()));
        await AssertNoReview(await Violation(new { ruleId = "PEN-79", personUserId = repairer }));
        var third = await Violation(new { ruleId = "PEN-79", personUserId = repairer, evidence = new { text = "第三次不服从安排" } });
        await AssertReview(third, repairer, "DSM-04", "PEN-79", "维修工屡次不服从安排", 500m);
        await Policy("generic");
    }

    [Fact]
    public async Task DSM05_verified_damage_to_the_companys_reputation_opens_a_dismissal_review_and_a_repair_technician_is_also_fined_1000()
    {
        await Policy("gree-dealer-changsha-2012");
        var installer = await Staff("installer");
        var repairer = await Staff("repair");
        var remark = await Violation(new { ruleId = "PEN-05", personUserId = installer, evidence = new { text = "在网上发布诋毁公司的言论" } }, "manager");
        await AssertReview(remark, installer, "DSM-05", "PEN-05", "有损公司声誉的言行", 0m);
        var repair = await Violation(new { ruleId = "PEN-05", personUserId = repairer, evidence = new { text = "向客户诋毁公司" } }, "manager");
        await AssertReview(repair, repairer, "DSM-05", "PEN-82", "有损公司声誉的言行", 1000m);
        await Policy("generic");
    }

    [Fact]
    public async Task DSM06_serious_overcharging_opens_a_dismissal_review_an_ordinary_one_is_fined_200()
    {
        await Policy("generic");
        var person = await Staff("repair");
        var ordinary = await Violation(new { ruleId = "PEN-10", personUserId = person });
        Assert.Equal(("PEN-10", 200m, "confirmed"), (ordinary["ruleId"]!.GetValue<string>(), ordinary["amount"]!.GetValue<decimal>(), ordinary["state"]!.GetValue<string>()));
        await AssertNoReview(ordinary);
        var serious = await Violation(new { ruleId = "PEN-10", personUserId = person, qualifier = "serious", evidence = new { text = "收费超过标准三倍" } });
        await AssertReview(serious, person, "DSM-06", "PEN-10", "严重乱报价、多收费", 0m);
    }

    [Fact]
    public async Task DSM07_collected_money_withheld_a_second_time_opens_a_dismissal_review_the_first_costs_five_times_the_amount()
    {
        await Policy("generic");
        var person = await Staff("repair");
        var first = await Violation(new { ruleId = "PEN-11", personUserId = person, baseAmount = 120m, evidence = new { text = "所收维修费3天未上交" } });
        Assert.Equal(("PEN-11", 600m), (first["ruleId"]!.GetValue<string>(), first["amount"]!.GetValue<decimal>()));
        await AssertNoReview(first);
        var second = await Violation(new { ruleId = "PEN-11", personUserId = person, baseAmount = 80m, evidence = new { text = "再次未上交所收费用" } });
        await AssertReview(second, person, "DSM-07", "PEN-11", "第二次未按时上交所收费用", 0m);
    }

    [Fact]
    public async Task DSM08_failing_again_to_report_the_repair_status_or_the_next_destination_opens_a_dismissal_review()
    {
        await Policy("generic");
        var person = await Staff("repair");
        var first = await Violation(new { ruleId = "PEN-12", personUserId = person });
        Assert.Equal(("PEN-12", 30m), (first["ruleId"]!.GetValue<string>(), first["amount"]!.GetValue<decimal>()));
        await AssertNoReview(first);
        var again = await Violation(new { ruleId = "PEN-12", personUserId = person, evidence = new { text = "再次未报告去向" } });
        await AssertReview(again, person, "DSM-08", "PEN-12", "屡次不汇报维修情况或去向", 0m);
    }

    [Fact]
    public async Task DSM09_height_work_without_a_belt_opens_a_review_at_once_with_500_for_a_repair_technician_and_at_the_second_offence_for_an_installer()
    {
        await Policy("generic");
        var repairer = await Staff("repair");
        var belt = await Violation(new { ruleId = "PEN-21", personUserId = repairer, evidence = new { text = "三楼外墙作业未系安全带" } });
        await AssertReview(belt, repairer, "DSM-09", "PEN-21", "高空作业不系安全带", 500m);

        var installer = await Staff("installer");
        var first = await Violation(new { ruleId = "PEN-21", personUserId = installer });
        Assert.Equal(("PEN-76", 200m), (first["ruleId"]!.GetValue<string>(), first["amount"]!.GetValue<decimal>()));
        await AssertNoReview(first);
        var second = await Violation(new { ruleId = "PEN-76", personUserId = installer, evidence = new { text = "再次高空作业未系安全带" } });
        await AssertReview(second, installer, "DSM-09", "PEN-76", "高空作业不系安全带", 0m);
    }

    [Fact]
    public async Task DSM10_a_serious_quarrel_with_a_customer_opens_an_expulsion_review()
    {
        await Policy("generic");
        var person = await Staff("repair");
        var quarrel = await Violation(new { ruleId = "PEN-26", personUserId = person, qualifier = "serious", evidence = new { text = "与客户激烈争吵并辱骂客户" } });
        await AssertReview(quarrel, person, "DSM-10", "PEN-26", "服务态度恶劣或与客户争吵", 0m, "开除审核");
    }

    [Fact]
    public async Task DSM11_fighting_gambling_or_group_trouble_making_opens_a_dismissal_review_at_once()
    {
        await Policy("generic");
        var person = await Staff("both");
        var fight = await Violation(new { ruleId = "PEN-39", personUserId = person, evidence = new { text = "在仓库与同事打架" } });
        await AssertReview(fight, person, "DSM-11", "PEN-39", "聚众闹事、打架斗殴、赌博", 0m);
    }

    [Fact]
    public async Task DSM12_theft_of_company_property_opens_a_dismissal_review_at_once()
    {
        await Policy("generic");
        var person = await Staff("both");
        var theft = await Violation(new { ruleId = "PEN-43", personUserId = person, evidence = new { text = "私自带走库存铜管" } });
        await AssertReview(theft, person, "DSM-12", "PEN-43", "盗窃公司财物或资料", 0m);
    }

    [Fact]
    public async Task DSM13_intentional_damage_to_company_property_is_charged_at_its_price_and_opens_a_dismissal_review_accidental_damage_does_not()
    {
        await Policy("generic");
        var person = await Staff("both");
        var accident = await Violation(new { ruleId = "PEN-44", personUserId = person, amount = 120m });
        Assert.Equal(("PEN-44", 120m), (accident["ruleId"]!.GetValue<string>(), accident["amount"]!.GetValue<decimal>()));
        await AssertNoReview(accident);
        var intentional = await Violation(new { ruleId = "PEN-44", personUserId = person, qualifier = "intentional", amount = 800m, evidence = new { text = "故意砸坏公司电钻" } });
        await AssertReview(intentional, person, "DSM-13", "PEN-44", "故意损坏公司财物", 800m);
    }

    [Fact]
    public async Task DSM14_rudeness_to_colleagues_or_superiors_opens_an_expulsion_review_with_a_proposed_200_fine()
    {
        await Policy("generic");
        var person = await Staff("both");
        var rude = await Violation(new { ruleId = "PEN-45", personUserId = person, evidence = new { text = "当众辱骂主管" } });
        await AssertReview(rude, person, "DSM-14", "PEN-45", "对同事或上级出言不逊", 200m, "开除审核");
    }

    [Fact]
    public async Task DSM16_a_Binchun_installers_second_missing_service_sticker_opens_a_dismissal_review_the_first_is_fined_50_a_sticker()
    {
        await Policy("binchun-water-purifier-2015");
        var installer = await Staff("installer");
        var first = await Violation(new { ruleId = "PEN-75", personUserId = installer, count = 2 });
        Assert.Equal(("PEN-75", 100m, "confirmed"), (first["ruleId"]!.GetValue<string>(), first["amount"]!.GetValue<decimal>(), first["state"]!.GetValue<string>()));
        await AssertNoReview(first);
        var second = await Violation(new { ruleId = "PEN-75", personUserId = installer, evidence = new { text = "回访发现再次漏贴售后服务贴" } });
        await AssertReview(second, installer, "DSM-16", "PEN-75", "第二次漏贴售后服务贴", 0m);
        await Policy("generic");
    }

    [Fact]
    public async Task DSM17_a_verified_attitude_complaint_recorded_by_a_manager_opens_a_probation_or_dismissal_review()
    {
        await Policy("generic");
        var person = await Staff("repair");
        var attitude = await Violation(new { ruleId = "PEN-92", personUserId = person, amount = 300m, evidence = new { text = "客户投诉服务态度恶劣,经查属实" } }, "manager");
        await AssertReview(attitude, person, "DSM-17", "PEN-92", "态度投诉经查实", 300m, "留厂察看或辞退审核");
    }

    [Fact]
    public async Task DSM18_a_serious_breach_of_the_clients_rules_opens_a_dismissal_review()
    {
        await Policy("generic");
        var person = await Staff("both");
        var breach = await Violation(new { ruleId = "PEN-95", personUserId = person, evidence = new { text = "在客户厂区内吸烟,违反长城公司安全规定" } });
        await AssertReview(breach, person, "DSM-18", "PEN-95", "严重违反客户单位规定", 0m);
    }

    [Fact]
    public async Task DSM19_cable_theft_opens_a_dismissal_review()
    {
        await Policy("generic");
        var person = await Staff("both");
        var cable = await Violation(new { ruleId = "PEN-97", personUserId = person, evidence = new { text = "盗剪调试现场电缆" } });
        await AssertReview(cable, person, "DSM-19", "PEN-97", "盗窃电缆", 0m);
    }

    [Fact]
    public async Task The_manager_reads_the_open_reviews_in_Chinese_on_the_penalty_page_and_decides_one_there_other_roles_cannot_decide_it()
    {
        await Policy("generic");
        var person = await Staff("both");
        var theft = await Violation(new { ruleId = "PEN-43", personUserId = person, evidence = new { text = "私自变卖公司配件" } });
        var review = (await ReviewOf(theft))!;
        (await app.Api("supervisor").Get("/api/dismissal-reviews")).Expect(HttpStatusCode.Forbidden);
        (await app.Api("supervisor").Post($"/api/dismissal-reviews/{review["id"]}/decide", new { uphold = true, note = "x" })).Expect(HttpStatusCode.Forbidden);
        var bad = (await _given.Manager.Post($"/api/dismissal-reviews/{review["id"]}/decide", new { uphold = true })).Expect(HttpStatusCode.BadRequest);
        Assert.Contains("note", bad.ErrorFields);

        var page = await ConsolePage("manager", "/manage/penalties");
        Assert.Contains($"id=\"review-{review["id"]}\"", page.Html);
        Assert.Contains("DSM-12 盗窃公司财物或资料", page.Html);
        Assert.Contains("私自变卖公司配件", page.Html);
        Assert.Contains("同意辞退", page.Html);

        var decided = await page.Http.PostAsync("/manage/penalties?handler=Review", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = review["id"]!.ToString(), ["uphold"] = "true", ["note"] = "证据确凿,予以辞退", ["__RequestVerificationToken"] = page.Token,
        }));
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        Assert.Null(await ReviewOf(theft));
        var upheld = (await _given.Manager.Get("/api/dismissal-reviews?state=upheld")).Body.AsArray().Single(r => r!["id"]!.GetValue<long>() == review["id"]!.GetValue<long>())!;
        Assert.Equal(("manager", "证据确凿,予以辞退"), (upheld["decidedBy"]!.GetValue<string>(), upheld["decisionNote"]!.GetValue<string>()));
        (await _given.Manager.Post($"/api/dismissal-reviews/{review["id"]}/decide", new { uphold = false, note = "再议" })).Expect(HttpStatusCode.Conflict);
    }
}
