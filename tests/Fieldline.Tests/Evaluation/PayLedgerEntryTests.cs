using System.Globalization;
using Fieldline.Web.Infrastructure.Localization;
using Fieldline.Web.Features.Evaluation;
using Fieldline.Web.Features.Sla;

namespace Fieldline.Tests.Evaluation;

public class PayLedgerEntryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 17, 0, 0, TimeSpan.Zero); // 2026-12-01 01:00 in Changsha
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private static PenaltyCase Proposed() => new()
    {
        BranchId = 2, PersonUserId = 7, PenaltyKey = "completionOverdue", RuleIds = "PEN-89,CMP-04", Condition = "none", Amount = 30m, CreatedAt = T0,
    };

    [Fact]
    public void Confirming_a_case_posts_its_amount_as_a_deduction_in_the_given_pay_month()
    {
        var c = Proposed();
        var month = PayPeriod.Of(c.CreatedAt, Shanghai);
        c.Confirm("manager", null, T0, new PayPeriod(month, month));
        var posting = c.Posting!;
        Assert.Equal((new DateOnly(2026, 12, 1), PayLedgerKind.Fine, -30m, 7, 2, "PEN-89,CMP-04", "manager"),
            (posting.Period, posting.Kind, posting.Amount, posting.PersonUserId, posting.BranchId, posting.RuleIds, posting.PostedBy));
        Assert.DoesNotContain("closed", StoredText.Render(posting.Description, CultureInfo.GetCultureInfo("en")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_posting_moved_past_a_closed_month_says_so()
    {
        var c = Proposed();
        c.Confirm("manager", null, T0, new PayPeriod(new DateOnly(2026, 12, 1), new DateOnly(2027, 1, 1)));
        Assert.Equal(new DateOnly(2027, 1, 1), c.Posting!.Period);
        Assert.Contains("2026-12 was already closed, so it is deducted in 2027-01", StoredText.Render(c.Posting.Description, CultureInfo.GetCultureInfo("en")), StringComparison.Ordinal);
        Assert.Contains("2026-12 已结账，改在 2027-01 扣除", StoredText.Render(c.Posting.Description, CultureInfo.GetCultureInfo("zh-CN")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_decided_case_cannot_be_confirmed_again_and_a_dismissed_one_posts_nothing()
    {
        var month = new PayPeriod(new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 1));
        var confirmed = Proposed();
        confirmed.Confirm("manager", null, T0, month);
        var first = confirmed.Posting;
        Assert.Throws<DecisionConflictException>(() => confirmed.Confirm("manager", null, T0, month));
        Assert.Same(first, confirmed.Posting);

        var dismissed = Proposed();
        dismissed.Dismiss("manager", "客户原因", T0);
        Assert.Null(dismissed.Posting);
        Assert.Throws<DecisionConflictException>(() => dismissed.Confirm("manager", null, T0, month));
        Assert.Null(dismissed.Posting);
    }
}
