Console.WriteLine("environment benchmarks: not written yet");
