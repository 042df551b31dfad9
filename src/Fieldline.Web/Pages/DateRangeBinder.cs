using Fieldline.Web.Infrastructure.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;

namespace Fieldline.Web.Pages;

/// <summary>
/// A date a console page binds (a filter's from/to, a form's day) is held to the same range as every other date input
/// (<see cref="InputRules.InRange"/>): one at the ends of the calendar (0001-01-01, 9999-12-31) would overflow the page's
/// own arithmetic (the day after the last one shown). Out of range, the value is not bound, the field gets the error, and
/// <see cref="ConsolePage"/> shows it at the top of the page.
/// </summary>
public sealed class DateRangeBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.UnderlyingOrModelType == typeof(DateOnly)
            ? new DateRangeBinder(new SimpleTypeModelBinder(context.Metadata.ModelType, context.Services.GetRequiredService<ILoggerFactory>()))
            : null;
}

public sealed class DateRangeBinder(IModelBinder inner) : IModelBinder
{
    private static readonly object RefusedKey = new();

    public async Task BindModelAsync(ModelBindingContext bindingContext)
    {
        await inner.BindModelAsync(bindingContext);
        if (bindingContext.Result is not { IsModelSet: true, Model: DateOnly day } || InputRules.InRange(day)) return;
        var name = bindingContext.ModelName[(bindingContext.ModelName.LastIndexOf('.') + 1)..];
        var field = name.Length == 0 ? "date" : char.ToLowerInvariant(name[0]) + name[1..];
        var message = RefusedInput.OutOfRange(field).Render();
        bindingContext.ModelState.TryAddModelError(bindingContext.ModelName, message);
        bindingContext.Result = ModelBindingResult.Failed();
        if (bindingContext.HttpContext.Items[RefusedKey] is not List<string> refused) bindingContext.HttpContext.Items[RefusedKey] = refused = [];
        refused.Add(message);
    }

    /// <summary>The refusals of this request, in the reader's language.</summary>
    public static IReadOnlyList<string> Refused(HttpContext http) => http.Items[RefusedKey] as List<string> ?? [];
}
