from kotoverkko.cli import main

main()
