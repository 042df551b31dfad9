namespace Fieldline.Web.Resources;

/// <summary>
/// The one message catalogue (Messages.resx: English, the neutral language; Messages.zh-CN.resx: Chinese), read through
/// <c>IStringLocalizer&lt;Messages&gt;</c> or <see cref="Infrastructure.Localization.Catalogue"/>. See
/// Infrastructure/Localization/README.md for the rules.
/// </summary>
public sealed class Messages;
