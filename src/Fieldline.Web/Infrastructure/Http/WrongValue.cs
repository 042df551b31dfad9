using Fieldline.Web.Infrastructure.Localization;

namespace Fieldline.Web.Infrastructure.Http;

/// <summary>
/// What a field of a type takes, said when a value could not be read as one (<c>页码必须是整数。</c>). The API's query
/// parameters (<see cref="ProblemDetailsHandler"/>) and the console's form fields (<c>Pages.BindingMessages</c>) say it alike.
/// </summary>
public static class WrongValue
{
    public static Msg For(Type? type, Msg field)
    {
        var t = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        if (t is null) return Msg.Of("{0} has a value of the wrong type.", field);
        if (t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte) || t == typeof(uint) || t == typeof(ulong) || t == typeof(ushort) || t == typeof(sbyte))
            return Msg.Of("{0} must be a whole number.", field);
        if (t == typeof(decimal) || t == typeof(double) || t == typeof(float)) return Msg.Of("{0} must be a number.", field);
        if (t == typeof(bool)) return Msg.Of("{0} must be true or false.", field);
        if (t == typeof(DateOnly)) return Msg.Of("{0} must be a date such as {1}.", field, "2026-12-03");
        if (t == typeof(DateTime) || t == typeof(DateTimeOffset)) return Msg.Of("{0} must be a date and time such as {1}.", field, "2026-12-03T09:30");
        if (t == typeof(TimeOnly) || t == typeof(TimeSpan)) return Msg.Of("{0} must be a time such as {1}.", field, "09:30");
        if (t.IsGenericType && t.GetGenericArguments() is [var item] && typeof(System.Collections.IEnumerable).IsAssignableFrom(t)) return For(item, field);
        if (t.IsArray) return For(t.GetElementType(), field);
        return Msg.Of("{0} has a value of the wrong type.", field);
    }

    /// <summary>
    /// The type a minimal API's binding failure names: <c>int?</c> for a parameter, <c>Nullable&lt;Int32&gt;</c> or
    /// <c>System.DateTimeOffset</c> for a property of an <c>[AsParameters]</c> record; null for any other.
    /// </summary>
    public static Type? Named(string name)
    {
        var bare = name.TrimEnd('?');
        if (bare.StartsWith("Nullable<", StringComparison.Ordinal)) bare = bare["Nullable<".Length..].TrimEnd('>');
        if (bare.StartsWith("System.", StringComparison.Ordinal)) bare = bare["System.".Length..];
        return bare switch
        {
            "int" or "Int32" => typeof(int), "long" or "Int64" => typeof(long), "short" or "Int16" => typeof(short), "byte" or "Byte" => typeof(byte),
            "decimal" or "Decimal" => typeof(decimal), "double" or "Double" => typeof(double), "float" or "Single" => typeof(float),
            "bool" or "Boolean" => typeof(bool), "DateOnly" => typeof(DateOnly), "DateTime" => typeof(DateTime), "DateTimeOffset" => typeof(DateTimeOffset),
            "TimeOnly" => typeof(TimeOnly), _ => null,
        };
    }
}
