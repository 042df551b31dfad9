using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Fieldline.Tests.Infrastructure;

/// <summary>The problem details the framework writes itself carry a title in the reader's language (Chinese by default).</summary>
public sealed class ProblemTitleTests
{
    private static ProblemDetails Localized(int status, string? title)
    {
        var problem = new ProblemDetails { Status = status, Title = title };
        ProblemDetailsHandler.Localize(new ProblemDetailsContext { HttpContext = new DefaultHttpContext(), ProblemDetails = problem });
        return problem;
    }

    [Fact]
    public void A_body_too_large_is_titled_in_Chinese_not_with_the_frameworks_Content_Too_Large()
    {
        var problem = Localized(413, "Content Too Large");
        Assert.Equal(("内容过大", "请求内容超过允许的大小。"), (problem.Title, problem.Detail));
    }

    [Fact]
    public void A_title_the_app_gave_itself_is_kept()
    {
        Assert.Equal("已有标题", Localized(404, "已有标题").Title);
    }
}
