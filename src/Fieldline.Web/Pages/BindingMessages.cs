using Fieldline.Web.Infrastructure.Http;
using Fieldline.Web.Infrastructure.Localization;
using Microsoft.AspNetCore.Mvc.ModelBinding.Metadata;

namespace Fieldline.Web.Pages;

/// <summary>
/// What a form field that could not be read says (<c>abc</c> in a number, <c>2026-99-99</c> in a date, nothing in a number
/// that must have one): the framework's own messages are English and name the C# property (<c>The value 'abc' is not
/// valid for Quantity.</c>) or nothing at all. Here every one of them is a catalogue sentence in the reader's language
/// that names the field by its label (<c>field.quantity</c> → 数量) and says what the field takes, the same sentences
/// the API answers a mistyped query parameter with. Each bound property and handler parameter gets its own messages,
/// because only there are its name and type known; the options' messages cover anything bound without either.
/// </summary>
internal sealed class BindingMessages : IBindingMetadataProvider
{
    public void CreateBindingMetadata(BindingMetadataProviderContext context)
    {
        if (context.Key.MetadataKind == ModelMetadataKind.Type) return; // a type alone has no field to name: the options' messages
        context.BindingMetadata.ModelBindingMessageProvider = For(context.Key.ModelType, context.Key.Name);
    }

    /// <summary>All the accessors of one field's messages; <paramref name="name"/> null: the name the binder passes, if any.</summary>
    public static DefaultModelBindingMessageProvider For(Type? type, string? name)
    {
        Msg Field(string? shown) => Msg.Field(CamelCase(name ?? shown ?? ""));
        Msg Invalid(string? shown) => (name ?? shown) is null ? Msg.Of("This value has the wrong type.") : WrongValue.For(type, Field(shown));
        var m = new DefaultModelBindingMessageProvider();
        m.SetMissingBindRequiredValueAccessor(shown => Msg.Of("{0} is required.", Field(shown)).Render());
        m.SetMissingKeyOrValueAccessor(() => Required(name));
        m.SetMissingRequestBodyRequiredValueAccessor(() => Msg.Of("The request could not be read.").Render());
        m.SetValueMustNotBeNullAccessor(_ => Required(name));
        m.SetAttemptedValueIsInvalidAccessor((_, shown) => Invalid(shown).Render());
        m.SetNonPropertyAttemptedValueIsInvalidAccessor(_ => Invalid(null).Render());
        m.SetUnknownValueIsInvalidAccessor(shown => Invalid(shown).Render());
        m.SetNonPropertyUnknownValueIsInvalidAccessor(() => Invalid(null).Render());
        m.SetValueIsInvalidAccessor(_ => Invalid(null).Render());
        m.SetValueMustBeANumberAccessor(shown => Msg.Of("{0} must be a number.", Field(shown)).Render());
        m.SetNonPropertyValueMustBeANumberAccessor(() => (name is null ? Msg.Of("This value must be a number.") : Msg.Of("{0} must be a number.", Field(null))).Render());
        return m;
    }

    private static string Required(string? name) => (name is null ? Msg.Of("A value is required.") : Msg.Of("{0} is required.", Msg.Field(CamelCase(name)))).Render();

    /// <summary>The field's name as the API and the catalogue spell it: <c>PurchaseDate</c> → <c>purchaseDate</c>.</summary>
    public static string CamelCase(string name) => name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
