// The training library's namespaces, as the command line uses them.
global using MetaRL.Training;
global using MetaRL.Training.Baselines;
global using MetaRL.Training.Cluster;
global using MetaRL.Training.Studies;
