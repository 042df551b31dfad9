// The `fieldline` command. Sub-commands are added by the features that own them (solve: issue 6).
Console.Error.WriteLine("usage: fieldline <command> [options]");
return 2;
