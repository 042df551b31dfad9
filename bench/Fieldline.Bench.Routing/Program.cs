Console.WriteLine("routing bench: see issue 6");
