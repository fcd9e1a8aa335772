// The command line is a thin layer over the training library: its commands use these everywhere.
global using MetaRL.Training;
global using MetaRL.Training.Baselines;
global using MetaRL.Training.Cluster;
global using MetaRL.Training.Studies;
