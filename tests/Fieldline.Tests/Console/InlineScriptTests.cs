using System.Text.RegularExpressions;

namespace Fieldline.Tests.Console;

/// <summary>
/// The console and the phone app are served with <c>script-src 'self'</c>: the browser refuses an inline event handler
/// (<c>onchange="…"</c>), an htmx <c>hx-on</c> attribute and a <c>javascript:</c> address — silently for the user, so a
/// select that should filter does nothing (h4 F1). Behaviour lives in the scripts (wwwroot/js/console.js, the page's own
/// script, the phone's modules) instead.
/// </summary>
public sealed partial class InlineScriptTests
{
    private static string Web()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Fieldline.slnx"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), "src", "Fieldline.Web");
    }

    /// <summary>Our own sources: not the build output, not the vendored libraries.</summary>
    private static IEnumerable<string> Sources(params string[] extensions)
    {
        var sep = Path.DirectorySeparatorChar;
        return Directory.EnumerateFiles(Web(), "*.*", SearchOption.AllDirectories)
            .Where(f => extensions.Any(e => f.EndsWith(e, StringComparison.Ordinal)))
            .Where(f => !new[] { $"{sep}bin{sep}", $"{sep}obj{sep}", $"{sep}lib{sep}", $"{sep}vendor{sep}", $"{sep}node_modules{sep}" }.Any(d => f.Contains(d, StringComparison.Ordinal)));
    }

    /// <summary>An attribute inside a tag: <c>onclick=</c>, <c>onchange =</c>, <c>hx-on:click=</c>, <c>hx-on::after-request=</c>.</summary>
    [GeneratedRegex(@"<[a-zA-Z][^<>]*?\s(on[a-z]+|hx-on[\w:.-]*)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex(@"(href|action|src)\s*=\s*[""']?\s*javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptAddress();

    [GeneratedRegex(@"setAttribute\(\s*['""`]on[a-z]+['""`]", RegexOptions.IgnoreCase)]
    private static partial Regex HandlerSetAsAttribute();

    [Fact]
    public void No_page_or_script_carries_an_inline_event_handler()
    {
        var files = Sources(".cshtml", ".html", ".js").ToList();
        Assert.True(files.Count(f => f.EndsWith(".cshtml", StringComparison.Ordinal)) > 50, "the scan found few pages: is it still looking in the right place?");
        Assert.Contains(files, f => f.EndsWith("index.html", StringComparison.Ordinal));
        var found = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                if (InlineHandler().IsMatch(lines[i]) || ScriptAddress().IsMatch(lines[i]) || HandlerSetAsAttribute().IsMatch(lines[i]))
                    found.Add($"{Path.GetRelativePath(Web(), file)}:{i + 1}: {lines[i].Trim()}");
            }
        }
        Assert.True(found.Count == 0, "Inline script the CSP blocks (move it into the page's script, e.g. wwwroot/js/console.js):\n" + string.Join("\n", found));
    }

    [Fact]
    public void The_scan_finds_the_inline_handlers_the_browser_would_block()
    {
        Assert.Matches(InlineHandler(), """<select name="LocationId" id="location" onchange="this.form.submit()">""");
        Assert.Matches(InlineHandler(), """<button hx-on:click="alert(1)">""");
        Assert.Matches(InlineHandler(), """el.innerHTML = `<a href="#" onclick='go()'>`;""");
        Assert.Matches(ScriptAddress(), """<a href="javascript:void(0)">""");
        Assert.DoesNotMatch(InlineHandler(), """r.onload = () => ok(r.result);""");
        Assert.DoesNotMatch(InlineHandler(), """h('button', { type: 'button', onclick: () => go() }, t('go'))""");
        Assert.DoesNotMatch(InlineHandler(), """<select name="LocationId" id="location" data-submit-on-change>""");
    }
}
