System.Console.WriteLine("sas");
