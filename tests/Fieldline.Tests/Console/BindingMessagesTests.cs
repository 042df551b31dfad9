using System.Globalization;
using System.Reflection;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fieldline.Tests.Console;

/// <summary>
/// A console form field that cannot be read is named by its label in the reader's language (Pages/BindingMessages):
/// every field a page binds that can fail to bind — a number, a date, a yes/no — has a <c>field.*</c> label in both languages.
/// </summary>
public sealed class BindingMessagesTests
{
    private static readonly Type[] Never = [typeof(string), typeof(CancellationToken), typeof(IFormFile), typeof(IFormFileCollection)];

    [Fact]
    public void Every_console_field_that_can_fail_to_bind_has_a_label_in_both_languages()
    {
        var pages = typeof(Fieldline.Web.Pages.ConsolePage).Assembly.GetTypes().Where(t => typeof(PageModel).IsAssignableFrom(t) && !t.IsAbstract);
        var fields = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var page in pages)
        {
            foreach (var handler in page.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(m => m.Name.StartsWith("On", StringComparison.Ordinal)))
                foreach (var p in handler.GetParameters()) Collect(p.Name!, p.ParameterType, fields, 0);
            var bindAll = page.GetCustomAttribute<BindPropertiesAttribute>() is not null;
            foreach (var p in page.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && (bindAll || p.GetCustomAttribute<BindPropertyAttribute>() is not null)))
                Collect(p.Name, p.PropertyType, fields, 0);
        }
        var missing = fields.Where(f => Catalogue.Find("field." + f, Catalogue.Chinese) is null
            || Catalogue.Entries(CultureInfo.InvariantCulture).ContainsKey("field." + f) is false).ToList();
        Assert.True(missing.Count == 0, "Without a label (scripts/i18n.py add --id field.x \"English\" \"中文\"): " + string.Join(", ", missing));
    }

    [Fact]
    public void A_number_field_given_letters_says_so_in_chinese_by_its_label()
    {
        var messages = Fieldline.Web.Pages.BindingMessages.For(typeof(int?), "Quantity");
        var previous = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = Catalogue.Chinese;
            Assert.Equal("数量必须是整数。", messages.AttemptedValueIsInvalidAccessor("abc", "Quantity"));
            Assert.Equal("数量必须是整数。", messages.NonPropertyAttemptedValueIsInvalidAccessor("abc"));
            Assert.Equal("请填写数量。", messages.ValueMustNotBeNullAccessor(""));
        }
        finally { CultureInfo.CurrentUICulture = previous; }
    }

    private static void Collect(string name, Type type, SortedSet<string> fields, int depth)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (Never.Contains(t) || typeof(IFormFile).IsAssignableFrom(t)) return;
        if (t.IsPrimitive || t.IsEnum || t == typeof(decimal) || t == typeof(DateOnly) || t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(TimeOnly) || t == typeof(TimeSpan) || t == typeof(Guid))
        {
            fields.Add(Fieldline.Web.Pages.BindingMessages.CamelCase(name));
            return;
        }
        if (t.IsArray) { Collect(name, t.GetElementType()!, fields, depth); return; }
        if (t.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(t))
        {
            if (t.GetGenericArguments() is [var item]) Collect(name, item, fields, depth);
            return; // a dictionary's values are the form's own (answers by question)
        }
        if (depth < 2 && t.IsClass && t.Namespace?.StartsWith("Fieldline", StringComparison.Ordinal) == true)
            foreach (var p in t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                Collect(p.Name, p.PropertyType, fields, depth + 1);
    }
}
